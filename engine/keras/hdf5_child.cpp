#include "engine/keras/hdf5_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <new>
#include <vector>

#include "engine/error.h"
#include "engine/keras/hdf5_reader.h"

// Present when the program is built with a sanitizer (the fuzz targets, the
// sanitizer build), null otherwise.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace lstmscope::keras {
namespace {

// The child's exit statuses besides 0 (a complete snapshot sent).
constexpr int kExitOutOfMemory = 101;
constexpr int kExitSanitizer = 102;  // a sanitizer caught libhdf5 (or us) at fault
constexpr int kExitInternal = 103;   // an unexpected exception in the walk
constexpr int kExitPipeGone = 104;   // the parent stopped listening

// The fd the child writes to, after it has closed every other.
constexpr int kChildPipeFd = 3;

Hdf5ChildLimits limits_from_environment() {
    Hdf5ChildLimits limits;
    if (const char* ms = std::getenv("LSTMSCOPE_HDF5_TIMEOUT_MS"); ms && std::atol(ms) > 0)
        limits.timeout_ms = static_cast<int>(std::atol(ms));
    if (const char* mb = std::getenv("LSTMSCOPE_HDF5_MEMORY_MB"); mb && std::atoll(mb) > 0)
        limits.memory_bytes = static_cast<uint64_t>(std::atoll(mb)) << 20;
    return limits;
}

// The process's mapped address space now, from /proc/self/statm (pages).
// The child's limit counts from there: under AddressSanitizer the process
// already maps terabytes of shadow it never touches.
uint64_t mapped_bytes() {
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[64] = {};
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0) return 0;
    return std::strtoull(text, nullptr, 10) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

// A sanitizer report in the child ends the child, not the parent, and not
// through libFuzzer's death callback (which would save the input as a
// crash of the fuzz target): the parent turns the status into an Error.
void sanitizer_died() { ::_exit(kExitSanitizer); }

void sleep_ms(int64_t ms) {
    timespec t{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
    while (::nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

// Everything the child does between fork and _exit. The parent may have
// had other threads: only this one exists here, so the child touches
// nothing but libhdf5, malloc (fork-safe in glibc) and system calls, and
// leaves by _exit: no atexit handlers, no static destructors, no
// LeakSanitizer pass, no unwinding into the caller's stack.
[[noreturn]] void run_child(int fd, uint64_t address_space, bool quiet, Hdf5ChildLimits::TestHook hook,
                            const std::function<bool(SnapshotWriter&)>& walk) {
    // Crashes end the child with their signal, not in a handler the parent
    // installed (ASan's, libFuzzer's, the application's).
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int s : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS, SIGPIPE, SIGALRM, SIGTERM, SIGINT, SIGXCPU})
        ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(sanitizer_died);

    if (quiet) {
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) ::dup2(null, STDERR_FILENO);
    }
    // Only the pipe stays open (as fd 3): another thread's pipe inherited
    // here would keep its reader waiting for our exit.
    if (fd != kChildPipeFd && ::dup2(fd, kChildPipeFd) < 0) ::_exit(kExitInternal);
    if (::syscall(SYS_close_range, kChildPipeFd + 1, ~0U, 0) != 0)
        for (int k = kChildPipeFd + 1; k < 4096; ++k) ::close(k);

    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);  // a crash costs no core dump
    if (address_space > 0) {
        const rlimit as{address_space, address_space};
        ::setrlimit(RLIMIT_AS, &as);
    }

    if (hook == Hdf5ChildLimits::TestHook::sleep) sleep_ms(int64_t{1} << 40);
    if (hook == Hdf5ChildLimits::TestHook::crash) ::raise(SIGSEGV);
    try {
        if (hook == Hdf5ChildLimits::TestHook::exhaust_memory) {
            // Address space, never touched: the limit is reached at no cost.
            std::vector<std::unique_ptr<char[]>> hog;
            for (;;) hog.emplace_back(new char[size_t{64} << 20]);
        }
        SnapshotWriter writer(kChildPipeFd);
        ::_exit(walk(writer) ? 0 : kExitPipeGone);
    } catch (const std::bad_alloc&) {
        ::_exit(kExitOutOfMemory);
    } catch (const Hdf5OutOfMemory&) {
        ::_exit(kExitOutOfMemory);
    } catch (...) {
        ::_exit(kExitInternal);
    }
}

struct ChildTimedOut {};
struct ChildEndOfStream {};

// The read end of the pipe, read with a deadline (poll), EINTR retried.
class PipeSource : public ByteSource {
public:
    PipeSource(int fd, std::chrono::steady_clock::time_point deadline) : fd_(fd), deadline_(deadline) {}

    void read(void* data, size_t size) override {
        char* out = static_cast<char*>(data);
        while (size > 0) {
            if (at_ == have_) {
                // A large read (a dataset) goes straight to its place.
                if (size >= sizeof buffer_) {
                    const size_t n = fill(out, size);
                    out += n, size -= n;
                    continue;
                }
                have_ = fill(buffer_, sizeof buffer_);
                at_ = 0;
            }
            const size_t n = std::min(size, have_ - at_);
            std::memcpy(out, buffer_ + at_, n);
            at_ += n, out += n, size -= n;
        }
    }

    // After the end mark: the child closes the pipe by exiting.
    bool at_end() {
        if (at_ != have_) return false;
        try {
            char extra;
            fill(&extra, 1);
            return false;
        } catch (const ChildEndOfStream&) {
            return true;
        }
    }

private:
    size_t fill(char* out, size_t capacity) {
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
            if (left.count() <= 0) throw ChildTimedOut{};
            pollfd p{fd_, POLLIN, 0};
            const int r = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
            if (r < 0 && errno != EINTR) throw ChildEndOfStream{};
            if (r <= 0) continue;  // interrupted or timed out: the deadline decides
            const ssize_t n = ::read(fd_, out, capacity);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) throw ChildEndOfStream{};
            return static_cast<size_t>(n);
        }
    }

    int fd_;
    std::chrono::steady_clock::time_point deadline_;
    char buffer_[1 << 16];
    size_t have_ = 0;
    size_t at_ = 0;
};

// Waits for the child; -1 when it cannot be waited for (a SIGCHLD set to
// SIG_IGN reaps it for us).
int reap(pid_t pid) {
    int status = 0;
    for (;;) {
        if (::waitpid(pid, &status, 0) == pid) return status;
        if (errno != EINTR) return -1;
    }
}

// Owns the child until it is reaped: any way out of read_in_child kills it.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid) {}
    ~Child() {
        if (pid_ > 0) kill_and_reap();
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    int reap_now() {
        const int status = reap(pid_);
        pid_ = -1;
        return status;
    }
    int kill_and_reap() {
        ::kill(pid_, SIGKILL);
        return reap_now();
    }

private:
    pid_t pid_;
};

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { close(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

std::string seconds(int ms) {
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

std::string memory(uint64_t bytes) {
    if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
    return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

Hdf5ChildLimits& hdf5_child_limits() {
    static Hdf5ChildLimits limits = limits_from_environment();
    return limits;
}

Hdf5Snapshot read_in_child(const std::string& name, const std::function<bool(SnapshotWriter&)>& walk) {
    const Hdf5ChildLimits limits = hdf5_child_limits();
    // Read before the fork: the child does as little as it can.
    const char* debug = std::getenv("LSTMSCOPE_HDF5_CHILD_STDERR");
    const bool quiet = !(debug && std::strcmp(debug, "1") == 0);
    const uint64_t mapped = mapped_bytes();
    const uint64_t address_space = mapped > 0 ? mapped + limits.memory_bytes : 0;

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error(ErrorKind::internal, name, std::string("cannot start the HDF5 reader (pipe: ") + std::strerror(errno) + ")");
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms);
    const pid_t pid = ::fork();
    if (pid < 0)
        throw Error(ErrorKind::internal, name, std::string("cannot start the HDF5 reader (fork: ") + std::strerror(errno) + ")");
    if (pid == 0) {
        ::close(fds[0]);
        run_child(fds[1], address_space, quiet, limits.test_hook, walk);
    }
    Child child(pid);
    write_end.close();  // or the pipe never reports the child's end

    PipeSource source(read_end.get(), deadline);
    SnapshotResult result;
    bool complete = false;
    bool damaged = false;
    try {
        result = read_snapshot(source);
        complete = source.at_end();
        damaged = !complete;
    } catch (const ChildTimedOut&) {
        child.kill_and_reap();
        throw Error(ErrorKind::model, name,
                    "the HDF5 library did not finish reading this file in " + seconds(limits.timeout_ms) +
                        ": it is damaged (libhdf5 may loop on it)");
    } catch (const ChildEndOfStream&) {
        // The child ended early: its status says how.
    } catch (const SnapshotDamaged&) {
        damaged = true;
    }
    const int status = damaged ? child.kill_and_reap() : child.reap_now();
    if (status != -1 && WIFSIGNALED(status) && !damaged)
        throw Error(ErrorKind::model, name,
                    "the HDF5 library crashed reading this file (signal " + std::to_string(WTERMSIG(status)) +
                        "): it is damaged");
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory)
        throw Error(ErrorKind::model, name,
                    "the HDF5 library needs more than " + memory(limits.memory_bytes) +
                        " of memory to read this file: it is damaged, or larger than any model lstmscope opens");
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == kExitSanitizer)
        throw Error(ErrorKind::model, name,
                    "the HDF5 library failed reading this file (a memory error, caught by the sanitizer): it is damaged");
    if (!complete || (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)))
        throw Error(ErrorKind::model, name,
                    "the HDF5 reader process failed (" +
                        (status == -1         ? std::string("no exit status")
                         : WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                             : "signal " + std::to_string(WTERMSIG(status))) +
                        (damaged ? ", damaged snapshot" : "") + ")");
    if (!result.failure.empty()) throw Error(ErrorKind::model, name, result.failure);
    return std::move(result.snapshot);
}

}  // namespace lstmscope::keras
