export * from './graph';
export * from './html';
export * from './mermaid';
export * from './report';
export * from './classification';
export * from './openlineage';
