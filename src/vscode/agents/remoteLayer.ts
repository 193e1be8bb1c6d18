// The remote engine's conductor for the editor (issue 13), a bundle of its own (dist/remoteLayer.js)
// loaded on the first run that sends agents to an engine: DBOS and pg cost too much for activation.
export { RemoteRunner, EngineError } from '../../host/remote';
