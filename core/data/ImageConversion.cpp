#include "data/ImageConversion.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>

namespace dfq::data {

cv::Mat rgbToGray601(const cv::Mat& rgb) {
    // PIL's convert("L") formula, so that 1-channel models see what PyTorch + PIL would feed them
    // (cv::cvtColor uses 14-bit coefficients that differ by one level on some pixels).
    cv::Mat gray(rgb.rows, rgb.cols, CV_8UC1);
    for (int y = 0; y < rgb.rows; ++y) {
        const uint8_t* s = rgb.ptr<uint8_t>(y);
        uint8_t* d = gray.ptr<uint8_t>(y);
        for (int x = 0; x < rgb.cols; ++x, s += 3)
            d[x] = uint8_t((19595u * s[0] + 38470u * s[1] + 7471u * s[2] + 0x8000u) >> 16);
    }
    return gray;
}

cv::Mat fitToGeometry(const cv::Mat& image, const ImageGeometry& g) {
    if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3))
        throw std::invalid_argument("fitToGeometry: expects an 8-bit gray or RGB image");
    cv::Mat m = image;
    if (g.channels == 3 && m.channels() == 1)
        cv::cvtColor(m, m, cv::COLOR_GRAY2RGB);
    else if (g.channels == 1 && m.channels() == 3)
        m = rgbToGray601(m);
    else if (g.channels != 1 && g.channels != 3)
        throw std::invalid_argument("fitToGeometry: only 1 or 3 channels are supported");

    const int th = int(g.height), tw = int(g.width);
    if (m.rows != th || m.cols != tw) {
        // Scale so the image covers the target; for a square target this is torchvision's
        // Resize(size): shorter side = size, longer side = int(size * long / short).
        int nh, nw;
        if (double(th) / m.rows >= double(tw) / m.cols) {
            nh = th;
            nw = std::max(tw, int(double(th) * m.cols / m.rows));
        } else {
            nw = tw;
            nh = std::max(th, int(double(tw) * m.rows / m.cols));
        }
        if (nh != m.rows || nw != m.cols) {
            const bool shrinking = nh < m.rows || nw < m.cols;
            cv::Mat r;
            cv::resize(m, r, cv::Size(nw, nh), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
            m = r;
        }
        // torchvision CenterCrop: int(round((H - h) / 2)), Python's round is half-to-even like nearbyint.
        const int top = int(std::nearbyint((m.rows - th) / 2.0));
        const int left = int(std::nearbyint((m.cols - tw) / 2.0));
        m = m(cv::Rect(left, top, tw, th));
    }
    return m.isContinuous() ? m : m.clone();
}

void checkNormalization(const Normalization& n, int64_t channels) {
    const auto ok = [&](size_t k) { return k == 1 || int64_t(k) == channels; };
    if (!ok(n.mean.size()) || !ok(n.stdev.size()))
        throw std::invalid_argument("normalization '" + n.name + "' has " + std::to_string(n.mean.size()) +
                                    " mean and " + std::to_string(n.stdev.size()) + " std values for " +
                                    std::to_string(channels) + "-channel images");
    for (float s : n.stdev)
        if (!(s > 0))
            throw std::invalid_argument("normalization '" + n.name + "' has a non-positive std");
}

torch::Tensor normalizeImages(const torch::Tensor& images, const Normalization& n) {
    const int64_t c = images.size(1);
    checkNormalization(n, c);
    torch::Tensor x = images.to(torch::kFloat32).div_(255.0f);
    const auto perChannel = [c](const std::vector<float>& v) {
        std::vector<float> full(size_t(c), v[0]);
        if (v.size() == size_t(c))
            full = v;
        return torch::tensor(full, torch::kFloat32).view({1, c, 1, 1});
    };
    return x.sub_(perChannel(n.mean)).div_(perChannel(n.stdev));
}

torch::Tensor prepareImages(const torch::Tensor& images, const ImageGeometry& g, const Normalization& n) {
    const int64_t count = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    if (c == g.channels && h == g.height && w == g.width)
        return normalizeImages(images, n);

    torch::Tensor src = images.contiguous();
    torch::Tensor out = torch::empty({count, g.channels, g.height, g.width}, torch::kUInt8);
    for (int64_t i = 0; i < count; ++i) {
        // CHW -> HWC for OpenCV, convert, back to CHW.
        torch::Tensor hwc = src[i].permute({1, 2, 0}).contiguous();
        cv::Mat m(int(h), int(w), CV_8UC(int(c)), hwc.data_ptr<uint8_t>());
        cv::Mat fitted = fitToGeometry(m, g);
        torch::Tensor t = torch::from_blob(fitted.data, {g.height, g.width, g.channels}, torch::kUInt8);
        out[i].copy_(t.permute({2, 0, 1}));
    }
    return normalizeImages(out, n);
}

} // namespace dfq::data
