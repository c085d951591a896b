"""openai-videos: a small, strict client for the OpenAI Videos API."""
