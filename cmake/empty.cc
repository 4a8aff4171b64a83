// Placeholder source for a component that has no files yet.
