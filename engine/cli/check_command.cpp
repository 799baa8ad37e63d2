#include <cmath>
#include <iomanip>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/options.h"
#include "engine/error.h"
#include "engine/runner.h"

namespace lstmscope::cli {

namespace {
constexpr const char* kHelp = R"(usage: lstmscope-cli check MODEL.json [--threads N]

Reruns the self-checks that the exporter wrote into the manifest ("checks":
texts with the output the training framework computed) and compares every
value of the output node within each check's tolerance. --threads N uses at
most N threads (default: every core). Exit status 0 only if
there are checks and all pass; 1 if any fails; 2 if the model does not load.

example:
  lstmscope-cli check models/sentiment_en_bilstm_pool.json
)";

std::string excerpt(const std::string& text) {
    // Cut on a code point boundary so Chinese text is not broken mid-character.
    if (text.size() <= 40) return text;
    size_t cut = 40;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "...";
}
}  // namespace

int check_command(const std::vector<std::string>& args) {
    const Options options = parse_options(args, {"threads"});
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    if (options.model.empty()) throw UsageError("check needs a model: lstmscope-cli check MODEL.json");
    RunOptions run_opts;
    run_opts.threads = options.integer("threads", 0, 1);
    const Model model = Model::load(options.model, import_options(options));
    for (const auto& w : model.warnings) std::cerr << "warning: " << w << '\n';
    if (model.checks.empty()) {
        std::cout << options.model << ": the manifest has no checks to run\n";
        return 1;
    }
    int failed = 0;
    for (size_t k = 0; k < model.checks.size(); ++k) {
        const Check& check = model.checks[k];
        std::cout << "check " << k + 1 << "/" << model.checks.size() << " \"" << excerpt(check.text) << "\": ";
        Trace trace;
        try {
            trace = run(model, check.text, run_opts);
        } catch (const Error& e) {
            std::cout << "FAILED: " << e.what() << '\n';
            ++failed;
            continue;
        }
        const Matrix& y = trace.output();
        const size_t rows = check.output.size();
        if (static_cast<Eigen::Index>(rows) != y.rows() ||
            static_cast<Eigen::Index>(check.output[0].size()) != y.cols()) {
            std::cout << "FAILED: output is " << y.rows() << " x " << y.cols() << ", the check expects " << rows
                      << " x " << check.output[0].size() << '\n';
            ++failed;
            continue;
        }
        double worst = 0;
        Eigen::Index worst_r = 0, worst_c = 0;
        bool shape_ok = true;
        for (size_t r = 0; r < rows; ++r) {
            if (static_cast<Eigen::Index>(check.output[r].size()) != y.cols()) shape_ok = false;
            for (Eigen::Index c = 0; shape_ok && c < y.cols(); ++c) {
                const double d = std::abs(static_cast<double>(y(static_cast<Eigen::Index>(r), c)) -
                                          check.output[r][static_cast<size_t>(c)]);
                if (!(d <= worst)) {  // also catches NaN
                    worst = std::isnan(d) ? INFINITY : d;
                    worst_r = static_cast<Eigen::Index>(r);
                    worst_c = c;
                }
            }
        }
        if (!shape_ok) {
            std::cout << "FAILED: the check's output rows have different lengths\n";
            ++failed;
        } else if (worst > check.tolerance) {
            std::cout << "FAILED: output[" << worst_r << "][" << worst_c << "] = " << y(worst_r, worst_c)
                      << ", expected " << check.output[static_cast<size_t>(worst_r)][static_cast<size_t>(worst_c)]
                      << " (difference " << std::setprecision(3) << worst << " > tolerance " << check.tolerance
                      << ")\n";
            ++failed;
        } else {
            std::cout << "ok (max difference " << std::setprecision(3) << worst << ")\n";
        }
    }
    std::cout << (model.checks.size() - static_cast<size_t>(failed)) << " of " << model.checks.size()
              << " checks passed\n";
    return failed ? 1 : 0;
}

}  // namespace lstmscope::cli
