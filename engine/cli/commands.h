// The subcommands of lstmscope-cli. Each returns the process exit status:
// 0 success, 1 a check that failed, 2 a bad model, text or command line.
#pragma once

#include <string>
#include <vector>

namespace lstmscope::cli {

int trace_command(const std::vector<std::string>& args);
int info_command(const std::vector<std::string>& args);
int check_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int corpus_command(const std::vector<std::string>& args);
int corpus_merge_command(const std::vector<std::string>& args);
int import_keras_command(const std::vector<std::string>& args);

}  // namespace lstmscope::cli
