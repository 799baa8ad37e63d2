// Keeps the memory of freed traces for the next run instead of handing it
// back to the operating system.
//
// A trace is a few hundred large matrices (gates, states, attention), made
// fresh on every run and freed when the next one replaces it. glibc's malloc
// serves blocks above its mmap threshold (128 KB at first, raised with use
// up to 32 MB) with mmap and unmaps them on free, and trims the heap's top
// above 128 KB: so every run paid for zeroing fresh pages and faulting them
// in. Measured with `lstmscope-cli bench` on one core: a 5,000-token text
// on the sentiment model spent ~30% of its time in the kernel's page
// faults (89 -> 48 ms with this), the large ORT shape 940 -> 740 ms.
// Programs that run the engine repeatedly (the CLI, the application, the
// benchmarks) call this once, first thing in main(). The price is that the
// process keeps its largest trace's memory until it exits: its peak is
// unchanged.
#pragma once

namespace lstmscope {

// No effect (and false) outside glibc.
bool keep_freed_memory_for_reuse();

}  // namespace lstmscope
