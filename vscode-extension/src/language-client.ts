// The language client library, behind one local module (the manifest tests stand in for it).
export { LanguageClient, TransportKind } from 'vscode-languageclient/node';
export type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
