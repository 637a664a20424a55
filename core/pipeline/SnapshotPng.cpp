#include "pipeline/SnapshotPng.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <iomanip>
#include <sstream>

namespace dfq::pipeline {

std::string snapshotPng(const synth::ImageSnapshot& s) {
    auto imgs = s.images.contiguous();
    if (!imgs.defined() || imgs.dim() != 4 || imgs.size(0) == 0)
        return {};
    const int n = int(std::min<int64_t>(16, imgs.size(0))), h = int(imgs.size(1)), w = int(imgs.size(2)),
              ch = int(imgs.size(3));
    if (ch != 1 && ch != 3)
        return {};
    cv::Mat row(h, n * w, ch == 1 ? CV_8UC1 : CV_8UC3);
    for (int i = 0; i < n; ++i) {
        cv::Mat one(h, w, ch == 1 ? CV_8UC1 : CV_8UC3, imgs[i].data_ptr<uint8_t>());
        one.copyTo(row(cv::Rect(i * w, 0, w, h)));
    }
    if (ch == 3)
        cv::cvtColor(row, row, cv::COLOR_RGB2BGR);
    if (h < 64)
        cv::resize(row, row, {}, 2, 2, cv::INTER_NEAREST);
    std::vector<uchar> buf;
    cv::imencode(".png", row, buf);
    return std::string(buf.begin(), buf.end());
}

std::string snapshotFileName(const synth::ImageSnapshot& s) {
    std::ostringstream name;
    name << "snapshots/batch" << std::setw(3) << std::setfill('0') << s.batch << "-step" << std::setw(6) << s.step << ".png";
    return name.str();
}

} // namespace dfq::pipeline
