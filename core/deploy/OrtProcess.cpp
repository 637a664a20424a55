#include "deploy/OrtProcess.h"

#include "deploy/DeployError.h"
#include "runtime/Resources.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace fs = std::filesystem;

namespace dfq::deploy {

namespace {

/// A private temporary folder, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string templ = (fs::temp_directory_path() / "dfq-ort-XXXXXX").string();
        if (!mkdtemp(templ.data()))
            throw DeployError(std::string("cannot create a temporary folder for ONNX Runtime: ") + std::strerror(errno));
        path_ = templ;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

std::string readAll(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string lastLines(const std::string& text, size_t maxChars = 2000) {
    return text.size() <= maxChars ? text : "..." + text.substr(text.size() - maxChars);
}

} // namespace

std::string onnxRuntimeScript() { return runtime::resourcePath("ort/run-model.cjs"); }

OrtResult runInOnnxRuntime(const OrtJob& job) {
    const std::string script = onnxRuntimeScript();
    if (script.empty())
        throw DeployError("ONNX Runtime's runner (ort/run-model.cjs) is not among DFQ Studio's resources; run '" +
                          std::string(kOnnxRuntimeInstallCommand) + "' in the source tree");
    if (!job.inputs.defined() || job.inputs.dim() != 4 || job.inputs.size(0) == 0)
        throw DeployError("ONNX Runtime check: the inputs must be [N,C,H,W] with N > 0");
    if (!fs::exists(job.model))
        throw DeployError("the ONNX file '" + job.model + "' does not exist");

    TempDir tmp;
    const torch::Tensor x = job.inputs.to(torch::kFloat).contiguous();
    {
        std::ofstream f(tmp / "inputs.f32", std::ios::binary);
        f.write(static_cast<const char*>(x.data_ptr()), std::streamsize(x.nbytes()));
        if (!f)
            throw DeployError("cannot write the images for ONNX Runtime into " + (tmp / "inputs.f32").string() +
                              " (disk full?)");
    }
    nlohmann::json j = {{"model", fs::absolute(job.model).string()},
                        {"input", (tmp / "inputs.f32").string()},
                        {"shape", x.sizes().vec()},
                        {"batch", std::max<int64_t>(1, job.batch)},
                        {"output", (tmp / "outputs.f32").string()},
                        {"optimized", job.optimizedModel.empty() ? "" : fs::absolute(job.optimizedModel).string()},
                        {"optimization", job.optimization},
                        {"threads", job.threads}};
    if (job.latencyRuns > 0)
        j["latency"] = {{"runs", job.latencyRuns}, {"batch", job.latencyBatch}, {"warmup", job.latencyWarmup}};
    std::ofstream(tmp / "job.json") << j.dump();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string out = (tmp / "stdout").string(), err = (tmp / "stderr").string(), jobPath = (tmp / "job.json").string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::string node = "node";
    std::vector<char*> argv{node.data(), const_cast<char*>(script.c_str()), const_cast<char*>(jobPath.c_str()), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw DeployError(std::string("Node.js ('node') could not be started (") + std::strerror(rc) +
                          "): ONNX Runtime runs under Node.js; run 'bash scripts/setup.sh', which installs it and '" +
                          kOnnxRuntimeInstallCommand + "'");
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string stdoutText = readAll(out), stderrText = readAll(err);
    if (!WIFEXITED(status))
        throw DeployError("ONNX Runtime's process was killed (signal " + std::to_string(WTERMSIG(status)) +
                          ") while running '" + job.model + "'");
    const int code = WEXITSTATUS(status);
    if (code == 3)
        throw DeployError("ONNX Runtime (npm onnxruntime-node) is not installed: run '" +
                          std::string(kOnnxRuntimeInstallCommand) + "'");
    if (code != 0)
        throw DeployError("ONNX Runtime failed on '" + job.model + "': " + lastLines(stderrText));

    OrtResult r;
    nlohmann::json res;
    try {
        const auto nl = stdoutText.find_last_of('\n', stdoutText.size() >= 2 ? stdoutText.size() - 2 : 0);
        res = nlohmann::json::parse(nl == std::string::npos ? stdoutText : stdoutText.substr(nl + 1));
    } catch (const std::exception&) {
        throw DeployError("ONNX Runtime's runner printed no result for '" + job.model + "': " + lastLines(stdoutText + stderrText));
    }
    r.version = res.value("ort_version", "");
    r.runSeconds = res.value("run_seconds", 0.0);
    r.latencyMs = res.value("latency_ms", std::vector<double>{});
    const auto dims = res.at("output_dims").get<std::vector<int64_t>>();
    if (dims.size() != 2)
        throw DeployError("ONNX Runtime returned outputs of rank " + std::to_string(dims.size()) + " for '" + job.model +
                          "'; logits [N, classes] expected");
    const std::string bytes = readAll(tmp / "outputs.f32");
    const int64_t n = x.size(0), classes = dims[1];
    if (int64_t(bytes.size()) != n * classes * 4)
        throw DeployError("ONNX Runtime returned " + std::to_string(bytes.size()) + " bytes of outputs for '" + job.model +
                          "', expected " + std::to_string(n * classes * 4));
    r.outputs = torch::from_blob(const_cast<char*>(bytes.data()), {n, classes}, torch::kFloat).clone();
    return r;
}

} // namespace dfq::deploy
