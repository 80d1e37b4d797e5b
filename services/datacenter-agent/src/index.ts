export { createDatacenterAgent } from './service';
export type { DatacenterAgent, AgentLogger } from './service';
export { parseAgentSettings } from './config';
export type { AgentSettings, AgentSettingsEnvironment } from './config';
export { defaultNodeImages, nodeCatalogImages } from './node-images';
