/** Reasoning for models that can think: off, on, or a level (sent as `think`). */
export type ThinkSetting = boolean | 'low' | 'medium' | 'high';

export interface OllamaSettings {
  /** `http://host:port` of the Ollama server. */
  host: string;
  model: string;
  /** Each request's limit, from sending it to the last byte of the answer; past it the request is cancelled. */
  timeoutMs: number;
  /** How long the server keeps the model loaded after a request: seconds, or a duration such as "5m". */
  keepAlive: string | number;
  temperature: number;
  /** Fixed seed for repeatable output; each retry and regeneration adds its number so it asks for something new. */
  seed: number | undefined;
  /** Most tokens the model may write for one answer (reasoning included). */
  numPredict: number;
  think: ThinkSetting;
}
