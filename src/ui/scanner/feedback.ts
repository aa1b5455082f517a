/** A short beep and a buzz when a code is taken, so the cashier need not look at the screen. */
let audio: AudioContext | null = null;

export function beep(frequencyHz = 1760, durationMs = 90): void {
  try {
    audio ??= new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = frequencyHz;
    gain.gain.value = 0.08;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + durationMs / 1000);
  } catch {
    // No audio (autoplay policy, no device): the visual confirmation still shows.
  }
}

export function vibrate(pattern: number | number[] = 60): void {
  if ('vibrate' in navigator) navigator.vibrate(pattern);
}
