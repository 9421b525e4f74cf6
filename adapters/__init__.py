"""Platform adapters: each turns its platform into CommandCalls and renders Replies."""
