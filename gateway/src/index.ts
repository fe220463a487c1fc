export * from './config';
export * from './context';
export * from './dev-idp';
export * from './identity';
export * from './server';
export * from './supergraph';
