/** @peculiar/x509, loaded after the Reflect metadata API it needs (reflect-metadata-shim.ts). */
import './reflect-metadata-shim.ts';

export * from '@peculiar/x509';
