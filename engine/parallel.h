// The engine's only way to use more than one core: run a few independent
// tasks on up to N threads, the calling thread included.
//
// Every op that can split its work (the two directions of a BiLSTM layer,
// the heads of a multi-head attention) goes through run_parallel, so one
// setting (RunOptions::threads, `--threads`, the GUI's setting) bounds them
// all. Exceptions thrown by a task (std::bad_alloc under a memory limit, an
// Error) reach the caller after every thread is joined, never
// std::terminate; when no thread can be started the caller runs the tasks
// itself.
#pragma once

#include <functional>
#include <span>

namespace lstmscope {

// The number of threads a run may use: `requested` if >= 1, otherwise (0)
// every core the machine reports (at least 1).
int resolve_threads(int requested);

// Runs every task once, on up to `threads` threads (the caller's included),
// and returns when all have finished. If tasks throw, the first exception is
// rethrown after the others have finished or been skipped.
void run_parallel(std::span<const std::function<void()>> tasks, int threads);

}  // namespace lstmscope
