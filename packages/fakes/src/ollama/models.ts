/** What a model can do, as `/api/show` lists it (`capabilities`). */
export type Capability = 'completion' | 'tools' | 'insert' | 'vision' | 'embedding' | 'thinking';

/** A model the fake has "pulled". */
export interface FakeModel {
  /** `name:tag`; a name given without a tag means `:latest`, as Ollama reads it. */
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  contextLength: number;
  /**
   * What `/api/show` reports. `undefined`: the answer lists none, as servers before 0.6.4 answered;
   * such a model cannot think and, asked to, gets the current server's 400. (A real server that old
   * ignored `think`; the combination exists so a client's learn-from-the-400 path can be tested.)
   */
  capabilities: Capability[] | undefined;
  /**
   * Writes its reasoning inline, `<think>…</think>` at the start of the content, as reasoning
   * models did before Ollama parsed their tags into `message.thinking`.
   */
  inlineThink?: boolean;
}

/** Normalises a model reference the way Ollama does: no tag means `latest`; names ignore case. */
export function modelKey(name: string): string {
  const trimmed = name.trim().toLowerCase();
  const lastSlash = trimmed.lastIndexOf('/');
  return trimmed.indexOf(':', lastSlash + 1) === -1 ? `${trimmed}:latest` : trimmed;
}

export function canThink(model: FakeModel): boolean {
  return model.capabilities?.includes('thinking') ?? false;
}

/** A small catalogue covering each behaviour a client must handle. */
export const defaultFakeModels: readonly FakeModel[] = [
  {
    name: 'llama3.2:latest',
    family: 'llama',
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    sizeBytes: 2_019_393_189,
    contextLength: 131_072,
    capabilities: ['completion', 'tools'],
  },
  {
    name: 'llama3.2:1b',
    family: 'llama',
    parameterSize: '1.2B',
    quantization: 'Q8_0',
    sizeBytes: 1_321_098_329,
    contextLength: 131_072,
    capabilities: ['completion', 'tools'],
  },
  {
    // A reasoning model on a current server: `think` is honoured, reasoning comes in message.thinking.
    name: 'qwen3:0.6b',
    family: 'qwen3',
    parameterSize: '751.63M',
    quantization: 'Q4_K_M',
    sizeBytes: 522_653_767,
    contextLength: 40_960,
    capabilities: ['completion', 'tools', 'thinking'],
  },
  {
    // A reasoning model as older servers ran it: no `thinking` capability, reasoning inline in the content.
    name: 'deepseek-r1:1.5b',
    family: 'qwen2',
    parameterSize: '1.8B',
    quantization: 'Q4_K_M',
    sizeBytes: 1_117_322_768,
    contextLength: 131_072,
    capabilities: ['completion'],
    inlineThink: true,
  },
  {
    // An embedding model: chat and generate answer 400 "does not support chat/generate".
    name: 'nomic-embed-text:latest',
    family: 'nomic-bert',
    parameterSize: '137M',
    quantization: 'F16',
    sizeBytes: 274_302_450,
    contextLength: 2_048,
    capabilities: ['embedding'],
  },
];
