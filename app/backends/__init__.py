"""Answer backends: the offline extractive one and OpenAI-compatible servers."""
