/**
 * How the speech handler serves on a Hugging Face custom-container endpoint: the endpoint is told
 * the same port and health route, and mounts the model repository at the path the handler reads.
 */
/** Not 80: the container runs as a non-root user. */
export const HANDLER_PORT = 8080;
/** Answers 503 until the model is loaded, 200 after. */
export const HEALTH_ROUTE = '/health';
/** `POST {text, voice, speed}` -> speech. */
export const SPEECH_ROUTE = '/';
/** Where the endpoint mounts the model repository. */
export const REPOSITORY_PATH = '/repository';
/** The timestamped ONNX export, inside the repository. */
export const MODEL_FILE = 'onnx/model.onnx';
