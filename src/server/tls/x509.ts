/** @peculiar/x509, loaded after the Reflect metadata API its dependency tsyringe needs. */
import 'reflect-metadata';

export * from '@peculiar/x509';
