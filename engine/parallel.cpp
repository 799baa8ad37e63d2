#include "engine/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace lstmscope {

int resolve_threads(int requested) {
    if (requested >= 1) return requested;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores >= 1 ? static_cast<int>(cores) : 1;
}

void run_parallel(std::span<const std::function<void()>> tasks, int threads) {
    const size_t n = tasks.size();
    if (threads <= 1 || n <= 1) {
        for (const auto& task : tasks) task();
        return;
    }
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    // Each thread takes the next task until none is left or one has failed.
    auto work = [&]() noexcept {
        for (size_t k; !failed.load(std::memory_order_relaxed) && (k = next.fetch_add(1)) < n;) {
            try {
                tasks[k]();
            } catch (...) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> workers;
    const size_t extra = std::min(n, static_cast<size_t>(threads)) - 1;
    try {
        workers.reserve(extra);
        for (size_t k = 0; k < extra; ++k) workers.emplace_back(work);
    } catch (const std::system_error&) {
        // No more threads to be had: the ones started and this one share the work.
    } catch (const std::bad_alloc&) {
    }
    work();
    for (auto& w : workers) w.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace lstmscope
