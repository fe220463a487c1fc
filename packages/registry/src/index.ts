export * from './checks';
export * from './hook';
export * from './http';
export * from './registry';
export * from './report';
export * from './store';
export * from './usage';
export * from './verify';
