/** The routes of Hugging Face's custom-container contract; the endpoint rollout names the same health route. */
export const HEALTH_ROUTE = '/health';
export const SPEECH_ROUTE = '/';
