// The engine bench's anchor: a program that declares nothing, so its times are the engine's own.
export {};
