#include "AssessmentView.h"

#include "synth/SetAssessment.h"

#include <torch/torch.h>

namespace dfq::ui {
namespace {

CentroidMapData mapView(const QString& source, const metrics::Pca2d& pca, const torch::Tensor& imageMap,
                        bool ofCentroids, const torch::Tensor& labels, const std::vector<int64_t>& present) {
    CentroidMapData m;
    m.source = source;
    const torch::Tensor im = imageMap.to(torch::kDouble).contiguous();
    const torch::Tensor lab = labels.to(torch::kLong).contiguous();
    for (int64_t i = 0; i < im.size(0) && i < lab.size(0); ++i) {
        m.imagePoints.push_back(QPointF(im[i][0].item<double>(), im[i][1].item<double>()));
        m.imageLabels.push_back(int(lab[i].item<int64_t>()));
    }
    const torch::Tensor cm = pca.projected.to(torch::kDouble).contiguous();
    for (int64_t i = 0; i < cm.size(0) && i < int64_t(present.size()); ++i) {
        m.centroidPoints.push_back(QPointF(cm[i][0].item<double>(), cm[i][1].item<double>()));
        m.centroidClasses.push_back(int(present[size_t(i)]));
    }
    m.explained[0] = pca.explained[0];
    m.explained[1] = pca.explained[1];
    m.ofCentroids = ofCentroids;
    return m;
}

} // namespace

QImage toQImage(const torch::Tensor& pixelsHwc) {
    const torch::Tensor one = pixelsHwc.to(torch::kUInt8).contiguous();
    const int h = int(one.size(0)), w = int(one.size(1)), c = int(one.size(2));
    if (c != 1 && c != 3)
        return {};
    const QImage view(one.data_ptr<uint8_t>(), w, h, w * c, c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    return view.copy();   // the tensor dies with this call
}

SetQuality toSetQuality(const synth::SetAssessment& a, const torch::Tensor& labels, const torch::Tensor& pixels) {
    SetQuality q;
    for (size_t c = 0; c < a.features.perClass.size(); ++c) {
        q.counts.push_back(c < a.features.counts.size() ? a.features.counts[c] : 0);
        q.diversity.push_back(a.features.perClass[c]);
        q.modeCollapse.push_back(c < a.modeCollapse.size() ? a.modeCollapse[c] : std::nan(""));
    }
    const auto present = a.centroids.presentClasses();
    q.maps.push_back(mapView(QString(), a.centroidMap, a.imageMap, a.mapOfCentroids, labels, present));
    for (const auto& l : a.layerMaps)
        q.maps.push_back(mapView(QString::fromStdString(l.layer), l.centroidMap, l.imageMap, l.mapOfCentroids, labels, present));
    for (const auto& p : a.closestPairs) {
        SimilarPairView v;
        v.cls = int(p.cls);
        v.similarity = p.similarity;
        if (pixels.defined() && p.b < pixels.size(0)) {
            v.first = toQImage(pixels[p.a]);
            v.second = toQImage(pixels[p.b]);
        }
        q.pairs.push_back(v);
    }
    return q;
}

} // namespace dfq::ui
