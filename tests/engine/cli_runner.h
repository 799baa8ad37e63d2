// Runs lstmscope-cli as a subprocess, as users and other tools do, and
// captures its exit status, standard output and standard error.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace lstmscope::testing {

struct CliResult {
    int status = -1;
    std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline CliResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
    std::string command = shell_quote(LSTMSCOPE_CLI);
    for (const auto& a : args) command.append(" ").append(shell_quote(a));
    // Unique names: ctest runs test processes in parallel, possibly on one scratch folder.
    static int counter = 0;
    const std::string stem = "lstmscope-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const auto out = scratch / (stem + ".out"), err = scratch / (stem + ".err");
    command += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
    const int raw = std::system(command.c_str());
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = slurp(out);
    r.err = slurp(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

}  // namespace lstmscope::testing
