// The LSTM time loop (engine/ops/lstm_direction.h).
//
// Speed: this loop is most of a model's run time. Following frugally-deep's
// lstm_impl, the input part of all four gates is one matrix product over the
// whole sequence; each step only adds h_{t-1} * W_hh^T and writes the
// activated gates straight into the recorded matrices, with no heap
// allocation.
#include "engine/ops/lstm_direction.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "engine/kernels/cpu_features.h"

namespace lstmscope::ops {
namespace {

using Eigen::Index;

// A slice's own buffers: its gates' pre-activations and the recurrent part.
struct SliceScratch {
    RowVector z, rec;
};

// One step of one slice: units [u0, u1) of row t, from row `prev` of h.
// z is gathered from the four gate blocks of the input projection (bias
// included), the recurrent part summed on its own and then added (with or
// without details, so both runs compute the same numbers).
void step_slice(const UnitSlice& s, const Matrix& xw, Index step, Index t, Index prev, bool details,
                GateActivation act, GateTrace& g, SliceScratch& sc) {
    const Index H = g.i.cols();
    const Index u0 = s.u0, n = s.u1 - s.u0;
    for (Index q = 0; q < 4; ++q) sc.z.segment(q * n, n) = xw.row(t).segment(q * H + u0, n);
    if (step > 0) {
        sc.rec.setZero();
        // Odd steps walk the panels backwards: when W_hh is larger than
        // the L2 cache, what one step read last is then still there for
        // the next (PackedGemv::accumulate). Same numbers.
        s.whh.accumulate(g.h.row(prev).data(), sc.rec.data(), step & 1);
        if (details)
            for (Index q = 0; q < 4; ++q) g.pre_recurrent.row(t).segment(q * H + u0, n) = sc.rec.segment(q * n, n);
        sc.z += sc.rec;
    }
    gate(act, sc.z.segment(0, n), g.i.row(t).segment(u0, n));
    gate(act, sc.z.segment(n, n), g.f.row(t).segment(u0, n));
    g.g.row(t).segment(u0, n).array() = sc.z.segment(2 * n, n).array().tanh();
    gate(act, sc.z.segment(3 * n, n), g.o.row(t).segment(u0, n));
    auto c = g.c.row(t).segment(u0, n).array();
    if (step > 0)
        c = g.f.row(t).segment(u0, n).array() * g.c.row(prev).segment(u0, n).array() +
            g.i.row(t).segment(u0, n).array() * g.g.row(t).segment(u0, n).array();
    else
        c = g.i.row(t).segment(u0, n).array() * g.g.row(t).segment(u0, n).array();
    g.h.row(t).segment(u0, n).array() = g.o.row(t).segment(u0, n).array() * c.tanh();
}

Index token_of(Index step, Index T, bool backward) { return backward ? T - 1 - step : step; }

// Every slice on this thread, step after step.
void loop_one_thread(const RunContext& ctx, const DirectionWeights& w, const Matrix& xw, bool backward,
                     GateActivation act, GateTrace& g, std::vector<SliceScratch>& scratch) {
    const Index T = xw.rows();
    const size_t count = w.slices.size();
    for (Index step = 0; step < T; ++step) {
        // A long text's run stops within a few steps of being cancelled.
        if ((step & 31) == 0) ctx.check_cancel();
        const Index t = token_of(step, T, backward);
        const Index prev = backward ? t + 1 : t - 1;  // only read when step > 0
        for (size_t k = 0; k < count; ++k) {
            // The slices too turn round on odd steps (see step_slice).
            const size_t s = (step & 1) ? count - 1 - k : k;
            step_slice(w.slices[s], xw, step, t, prev, ctx.details, act, g, scratch[s]);
        }
    }
}

// Two slices on two threads in lock step: before step s, each waits until
// the other has finished step s - 1 (its half of h_{t-1}). The wait spins,
// since a step takes microseconds, and yields to the scheduler when it
// lasts (a partner that lost its core). A thread that fails (Cancelled,
// bad_alloc) raises `abort`, which releases the other.
class Lockstep {
public:
    // Waits until the other thread has finished `step`; false if aborted.
    bool wait_for(int other, Index step) const {
        for (int spins = 0; done_[other].load(std::memory_order_acquire) < step; ++spins) {
            if (abort_.load(std::memory_order_relaxed)) return false;
            if (spins < 2000)
                cpu_relax();
            else
                std::this_thread::yield();
        }
        return true;
    }
    void finished(int self, Index step) { done_[self].store(step, std::memory_order_release); }
    void fail(std::exception_ptr e) {
        {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::move(e);
        }
        abort_.store(true);
    }
    void rethrow() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    static void cpu_relax() {
#ifdef LSTMSCOPE_X86_DISPATCH
        _mm_pause();
#endif
    }
    std::atomic<Index> done_[2] = {-1, -1};
    std::atomic<bool> abort_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

void loop_lockstep_half(const RunContext& ctx, const DirectionWeights& w, const Matrix& xw, bool backward,
                        GateActivation act, GateTrace& g, SliceScratch& scratch, int self, Lockstep& sync) {
    const Index T = xw.rows();
    try {
        for (Index step = 0; step < T; ++step) {
            if ((step & 31) == 0) ctx.check_cancel();
            if (step > 0 && !sync.wait_for(1 - self, step - 1)) return;
            const Index t = token_of(step, T, backward);
            step_slice(w.slices[static_cast<size_t>(self)], xw, step, t, backward ? t + 1 : t - 1, ctx.details, act,
                       g, scratch);
            sync.finished(self, step);
        }
    } catch (...) {
        sync.fail(std::current_exception());
    }
}

// False when no second thread could be started (the caller then runs the
// slices on its own).
bool loop_two_threads(const RunContext& ctx, const DirectionWeights& w, const Matrix& xw, bool backward,
                      GateActivation act, GateTrace& g, std::vector<SliceScratch>& scratch) {
    Lockstep sync;
    std::thread helper;
    try {
        helper = std::thread([&] { loop_lockstep_half(ctx, w, xw, backward, act, g, scratch[1], 1, sync); });
    } catch (const std::system_error&) {
        return false;
    }
    loop_lockstep_half(ctx, w, xw, backward, act, g, scratch[0], 0, sync);
    helper.join();
    sync.rethrow();
    return true;
}

}  // namespace

void run_lstm_direction(const RunContext& ctx, const Matrix& x, const DirectionWeights& w, bool backward,
                        GateActivation act, GateTrace& g, int gemm_threads, bool lockstep) {
    const Index T = x.rows();
    const Index H = w.bias.size() / 4;
    Matrix xw;
    w.wih.multiply(x, xw, gemm_threads);
    if (ctx.details) {
        g.pre_input = xw;
        g.pre_recurrent.setZero(T, 4 * H);
        g.bias = w.bias;
    }
    xw.rowwise() += w.bias;
    for (Matrix* m : {&g.i, &g.f, &g.g, &g.o, &g.c, &g.h}) m->resize(T, H);
    std::vector<SliceScratch> scratch(w.slices.size());
    for (size_t s = 0; s < w.slices.size(); ++s) {
        const Index n = w.slices[s].u1 - w.slices[s].u0;
        scratch[s].z.resize(4 * n);
        scratch[s].rec.resize(4 * n);
    }
    if (lockstep && w.slices.size() == 2 && T > 1 && loop_two_threads(ctx, w, xw, backward, act, g, scratch)) return;
    loop_one_thread(ctx, w, xw, backward, act, g, scratch);
}

DirectionWeights read_lstm_direction(BuildContext& ctx, int layer, bool backward, int in, int hidden) {
    const std::string suffix = "_l" + std::to_string(layer) + (backward ? "_reverse" : "");
    const int gates = 4 * hidden;
    DirectionWeights w;
    w.wih = kernels::PackedGemm(ctx.matrix("weight_ih" + suffix, gates, in).transpose());
    const Matrix whh_t = ctx.matrix("weight_hh" + suffix, gates, hidden).transpose();  // [H, 4H]
    // Halves on multiples of 32 units: every segment a step writes then
    // starts on a 64-byte boundary, so Eigen computes each element of the
    // activations with the same vector code as for the whole row (its
    // scalar head and tail loops differ in the last bit), and two slices
    // give what one gives.
    const bool halves = hidden >= kLockstepMinHidden && hidden % 32 == 0;
    const int cuts[3] = {0, halves ? hidden / 2 : hidden, hidden};
    for (int s = 0; s < (halves ? 2 : 1); ++s) {
        const int u0 = cuts[s], u1 = cuts[s + 1], n = u1 - u0;
        Matrix cols(hidden, 4 * n);
        for (int q = 0; q < 4; ++q) cols.middleCols(q * n, n) = whh_t.middleCols(q * hidden + u0, n);
        w.slices.push_back(UnitSlice{u0, u1, kernels::PackedGemv(cols)});
    }
    w.bias = RowVector::Zero(gates);
    if (auto b = ctx.optional_vector("bias_ih" + suffix, gates)) w.bias += *b;
    if (auto b = ctx.optional_vector("bias_hh" + suffix, gates)) w.bias += *b;
    return w;
}

}  // namespace lstmscope::ops
