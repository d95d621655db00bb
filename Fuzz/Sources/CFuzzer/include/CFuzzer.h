// CFuzzer: the entry point of libFuzzer's driver, which a Swift executable calls from main.swift
// (SwiftPM names the program's own main `<module>_main`, so libFuzzer's main does not run).
#ifndef CFUZZER_H
#define CFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line in argc/argv, calling `callback` for each input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
