"""The model side of the `llm` and `local` engines: prompts, response models, the HTTP
transport with retries and usage records, the response cache, and the embedded server."""
