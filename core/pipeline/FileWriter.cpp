#include "pipeline/FileWriter.h"

#include "pipeline/PipelineError.h"
#include "runtime/AtomicFile.h"

#include <unistd.h>

namespace dfq::pipeline {

long AtomicFileWriter::writeBytes(int fd, const char* data, size_t size) { return long(::write(fd, data, size)); }

runtime::WriteCall AtomicFileWriter::writeCall() {
    return [this](int fd, const char* data, size_t size) { return writeBytes(fd, data, size); };
}

void AtomicFileWriter::writeFile(const std::string& path, const std::string& bytes) {
    try {
        runtime::writeFileAtomically(path, bytes, writeCall());
    } catch (const runtime::FileError& e) {
        throw PipelineError(e.what());
    }
}

void AtomicFileWriter::appendLine(const std::string& path, const std::string& line) {
    try {
        runtime::appendLineSynced(path, line, writeCall());
    } catch (const runtime::FileError& e) {
        throw PipelineError(e.what());
    }
}

} // namespace dfq::pipeline
