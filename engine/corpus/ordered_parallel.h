// Many independent jobs on all cores, with the results handed back in input
// order on the calling thread: a corpus run streams its JSON lines in file
// order while the texts run in parallel, and holds at most `window` results
// at a time, however long the corpus.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "engine/error.h"

namespace lstmscope::corpus {

// Calls work(i) for every i in [0, count) on up to `threads` worker threads
// (1: all on the calling thread) and deliver(i, result) on the calling thread
// for i = 0, 1, 2, ... in order. When `cancel` becomes true no new job
// starts and Cancelled is thrown once the running ones finish. An exception
// from work or deliver stops the run the same way and is rethrown.
template <class Result>
void ordered_parallel_map(size_t count, int threads, const std::function<Result(size_t)>& work,
                          const std::function<void(size_t, Result&)>& deliver,
                          const std::atomic<bool>* cancel = nullptr, size_t window = 0) {
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    if (threads <= 1 || count <= 1) {
        for (size_t i = 0; i < count; ++i) {
            if (cancelled()) throw Cancelled();
            Result r = work(i);
            deliver(i, r);
        }
        return;
    }
    const size_t workers = std::min(static_cast<size_t>(threads), count);
    if (window == 0) window = 64 * workers;
    std::mutex mutex;
    std::condition_variable ready, room;
    std::vector<std::optional<Result>> slots(window);
    size_t next = 0, emitted = 0;
    bool stop = false;
    std::exception_ptr failure;

    auto worker = [&] {
        for (;;) {
            size_t i;
            {
                std::unique_lock lock(mutex);
                room.wait(lock, [&] { return stop || next >= count || next < emitted + window; });
                if (stop || next >= count) return;
                if (cancelled()) {
                    stop = true;
                    ready.notify_all();
                    return;
                }
                i = next++;
            }
            try {
                Result r = work(i);
                std::lock_guard lock(mutex);
                slots[i % window] = std::move(r);
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            }
            ready.notify_all();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(workers);
    try {
        for (size_t k = 0; k < workers; ++k) pool.emplace_back(worker);
    } catch (...) {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        room.notify_all();
        for (auto& t : pool) t.join();
        throw;
    }
    try {
        while (emitted < count) {
            Result r;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return stop || slots[emitted % window].has_value(); });
                if (!slots[emitted % window]) break;  // stopped before this job finished
                r = std::move(*slots[emitted % window]);
                slots[emitted % window].reset();
            }
            deliver(emitted, r);
            {
                std::lock_guard lock(mutex);
                ++emitted;
            }
            room.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
    }
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    room.notify_all();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    if (emitted < count) throw Cancelled();
}

}  // namespace lstmscope::corpus
