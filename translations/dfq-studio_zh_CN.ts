<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/PlotExport.cpp" line="35"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="130"/>
        <source>the image could not be encoded</source>
        <translation>无法编码图像</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="143"/>
        <source>the SVG painter could not start</source>
        <translation>无法启动 SVG 绘制器</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="159"/>
        <source>the PDF painter could not start</source>
        <translation>无法启动 PDF 绘制器</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="174"/>
        <source>Export plot…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="178"/>
        <location filename="../ui/PlotExport.cpp" line="184"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location filename="../ui/PlotExport.cpp" line="179"/>
        <source>PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf);;CSV data (*.csv)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf);;CSV 数据 (*.csv)</translation>
    </message>
</context>
<context>
    <name>dfq::ui::AboutDialog</name>
    <message>
        <location filename="../ui/AboutDialog.cpp" line="34"/>
        <source>About DFQ Studio</source>
        <translation>关于 DFQ Studio</translation>
    </message>
    <message>
        <location filename="../ui/AboutDialog.cpp" line="36"/>
        <source>&lt;h3&gt;DFQ Studio %1&lt;/h3&gt;&lt;p&gt;Data-free quantization of convolutional networks: calibration data from what the model remembers.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;DFQ Studio %1&lt;/h3&gt;&lt;p&gt;卷积网络的无数据量化：用模型自身记住的信息生成校准数据。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/AboutDialog.cpp" line="46"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
</context>
<context>
    <name>dfq::ui::BitWidthPanel</name>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="97"/>
        <source>gdfq: every weight, every ReLU output</source>
        <translation>gdfq：所有权重，所有 ReLU 输出</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="98"/>
        <source>f8l8: gdfq, first and last layers at 8 bits</source>
        <translation>f8l8：同 gdfq，首层与末层为 8 位</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="99"/>
        <source>all-inputs: every layer input (integer runtimes)</source>
        <translation>all-inputs：每层输入（整数推理运行时）</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="110"/>
        <source> bits</source>
        <translation> 位</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="112"/>
        <source>Per-channel weights</source>
        <translation>逐通道权重</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="119"/>
        <source>Fold BN into convolutions</source>
        <translation>将 BN 折叠进卷积</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="126"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="127"/>
        <source>Test images per trial: fewer answer faster; &apos;all&apos; uses the whole test set.</source>
        <translation>每次试验使用的测试图像数：越少越快；“全部”使用整个测试集。</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="129"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="131"/>
        <source>Placement</source>
        <translation>量化位置</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="133"/>
        <source>W</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="136"/>
        <source>A</source>
        <translation>激活</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="139"/>
        <source>Bits</source>
        <translation>位宽</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="141"/>
        <source>Weight observer</source>
        <translation>权重观察器</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="142"/>
        <source>Activation observer</source>
        <translation>激活观察器</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="144"/>
        <source>Test images</source>
        <translation>测试图像</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="146"/>
        <source>No trial yet</source>
        <translation>尚无试验</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="160"/>
        <source>Quantized model</source>
        <translation>量化模型</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="168"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="170"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="180"/>
        <source>&lt;model&apos;s preset&gt;</source>
        <translation>&lt;模型的预设&gt;</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="181"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="217"/>
        <source>Give at least one width from 2 to 8.</source>
        <translation>请至少给出一个 2 到 8 之间的位宽。</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="228"/>
        <source>Point not applied: %1</source>
        <translation>未应用该点：%1</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="234"/>
        <source>Layers</source>
        <translation>各层</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="235"/>
        <source>Mixed precision</source>
        <translation>混合精度</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="277"/>
        <source>Sensitivity not measured yet.</source>
        <translation>尚未测量敏感度。</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="285"/>
        <source>Cannot quantize this model: %1</source>
        <translation>无法量化此模型：%1</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="321"/>
        <source>Preset not applied: %1</source>
        <translation>预设未应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="324"/>
        <source>Preset W%1A%2 %3</source>
        <translation>预设 W%1A%2 %3</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="342"/>
        <source>Spec not applied: %1</source>
        <translation>量化配置未应用：%1</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="369"/>
        <source>Sensitivity measurement cancelled.</source>
        <translation>敏感度测量已取消。</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="409"/>
        <source>Size %1 (fp32 %2, %3× smaller)</source>
        <translation>大小 %1（fp32 %2，缩小 %3 倍）</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="419"/>
        <source>top-1 %1 %  (%2%3 vs FP32 %4 %)</source>
        <translation>top-1 %1 %（相对 FP32 %4 %：%2%3）</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="425"/>
        <source>%1 · top-5 %2 % · %3 test images · calibrated on %4 images · %5 s</source>
        <translation>%1 · top-5 %2 % · %3 张测试图像 · 用 %4 张图像校准 · %5 秒</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="431"/>
        <source>Re-quantizing %1 …</source>
        <translation>正在重新量化 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="435"/>
        <source>Calibration: %1</source>
        <translation>校准：%1</translation>
    </message>
    <message>
        <location filename="../ui/BitWidthPanel.cpp" line="437"/>
        <source>Spec: %1</source>
        <translation>配置：%1</translation>
    </message>
</context>
<context>
    <name>dfq::ui::CentroidMapView</name>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="19"/>
        <source>Which representation the map is of: the teacher&apos;s penultimate features, or the per-channel means of one BN layer&apos;s input</source>
        <translation>地图所用的表示：教师网络的倒数第二层特征，或某一 BN 层输入的逐通道均值</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="21"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="23"/>
        <source>Centroids</source>
        <translation>质心</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="25"/>
        <source>ClusterQ trajectories</source>
        <translation>ClusterQ 轨迹</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="27"/>
        <source>ClusterQ&apos;s EMA class centroids of every epoch so far (on the map of its deepest clustered layer); the square marks the latest</source>
        <translation>ClusterQ 至今每个轮次的 EMA 类别质心（画在其最深聚类层的地图上）；方块标出最新的位置</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="37"/>
        <source>Every image on the two principal axes of the class centroids; crosses are the centroids. Tight clusters mean mode collapse; overlapping classes mean the teacher cannot tell them apart.</source>
        <translation>每张图像在类别质心的两条主轴上；叉号是质心。紧密的簇意味着模式坍塌；类别重叠意味着教师网络无法区分它们。</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="46"/>
        <source>Ma&amp;p of</source>
        <translation>地图(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="84"/>
        <source>penultimate features</source>
        <translation>倒数第二层特征</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="84"/>
        <source>BN %1</source>
        <translation>BN %1</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="116"/>
        <source>PC 1</source>
        <translation>主成分 1</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="117"/>
        <source>PC 2</source>
        <translation>主成分 2</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="146"/>
        <source>%1 centroid</source>
        <translation>%1 质心</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="160"/>
        <source>%1 EMA centroid</source>
        <translation>%1 EMA 质心</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="168"/>
        <source>%1 EMA centroid, epoch %2</source>
        <translation>%1 EMA 质心，第 %2 轮</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="176"/>
        <source>PC 1 (%1 % of the %2 variance)</source>
        <translation>主成分 1（%2方差的 %1 %）</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="177"/>
        <source>centroids&apos;</source>
        <translation>质心</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="177"/>
        <source>images&apos;</source>
        <translation>图像</translation>
    </message>
    <message>
        <location filename="../ui/CentroidMapView.cpp" line="178"/>
        <source>PC 2 (%1 %)</source>
        <translation>主成分 2（%1 %）</translation>
    </message>
</context>
<context>
    <name>dfq::ui::DivergenceHeatmap</name>
    <message>
        <location filename="../ui/DivergenceHeatmap.cpp" line="23"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../ui/DivergenceHeatmap.cpp" line="26"/>
        <source>log10 BN KL</source>
        <translation>log10 BN KL</translation>
    </message>
    <message>
        <location filename="../ui/DivergenceHeatmap.cpp" line="31"/>
        <source>log10 KL</source>
        <translation>log10 KL</translation>
    </message>
    <message>
        <location filename="../ui/DivergenceHeatmap.cpp" line="81"/>
        <source>%1 at step %2
KL %3 · mean gap %4 · std gap %5</source>
        <translation>%1，第 %2 步
KL %3 · 均值差 %4 · 标准差差 %5</translation>
    </message>
</context>
<context>
    <name>dfq::ui::ImageInspector</name>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="52"/>
        <source>Previous image of this class</source>
        <translation>该类别的上一张图像</translation>
    </message>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="56"/>
        <source>Next image of this class</source>
        <translation>该类别的下一张图像</translation>
    </message>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="75"/>
        <source>Click a class in the gallery to see its images large, with the teacher&apos;s prediction.</source>
        <translation>在图库中点击一个类别，即可放大查看其图像及教师网络的预测。</translation>
    </message>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="96"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="96"/>
        <source>confidence unknown</source>
        <translation>置信度未知</translation>
    </message>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="97"/>
        <source>Teacher: &lt;b&gt;%1&lt;/b&gt; · %2 · image %3 of %4 · step %5 · %6×%7 px</source>
        <translation>教师网络：&lt;b&gt;%1&lt;/b&gt; · %2 · 第 %3 张，共 %4 张 · 第 %5 步 · %6×%7 像素</translation>
    </message>
</context>
<context>
    <name>dfq::ui::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="64"/>
        <source>DFQ Studio</source>
        <translation>DFQ Studio</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="109"/>
        <source>Sensitivity of %1 layers at %2 widths measured on %3 images in %4 s.</source>
        <translation>已在 %3 张图像上测量 %1 层在 %2 种位宽下的敏感度，用时 %4 秒。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="123"/>
        <source>Assessed: %1.</source>
        <translation>已评估：%1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="140"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="143"/>
        <source>Synthesis cancelled.</source>
        <translation>合成已取消。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="157"/>
        <source>%1 %2 images</source>
        <translation>%1 张 %2 图像</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="159"/>
        <source>Synthesised %1 images with %2 in %3 s: mean BN KL %4, feature diversity %5.</source>
        <translation>已用 %2 合成 %1 张图像，用时 %3 秒：平均 BN KL %4，特征多样性 %5。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="166"/>
        <source>Synthetic set saved to %1 (use it with `dfq quantize --calib synth:%1`).</source>
        <translation>合成数据集已保存到 %1（可用于 `dfq quantize --calib synth:%1`）。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="191"/>
        <source>Experiment stage %1/%2: %3</source>
        <translation>实验阶段 %1/%2：%3</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="194"/>
        <source>Experiment: synthesising its calibration set …</source>
        <translation>实验：正在合成校准集 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="200"/>
        <source>%p% · ETA %1 s</source>
        <translation>%p% · 剩余约 %1 秒</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="205"/>
        <source>Experiment finished: %1
Report: %2/report.html</source>
        <translation>实验完成：%1
报告：%2/report.html</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="207"/>
        <source>%1
Run: %2 (Runs tab)</source>
        <translation>%1
运行：%2（“运行”标签页）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="217"/>
        <source>Cancelled; Runs &gt; Resume continues it.</source>
        <translation>已取消；“运行 &gt; 继续”可接着运行。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>%1 threads · BLAS: %2</source>
        <translation>%1 个线程 · BLAS：%2</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>OpenBLAS</source>
        <translation>OpenBLAS</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>reference (slow)</source>
        <translation>参考实现（较慢）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="232"/>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="240"/>
        <source>The embedded default model was not found; open a checkpoint with File &gt; Open model.</source>
        <translation>未找到内置默认模型；请通过“文件 &gt; 打开模型”打开检查点。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="265"/>
        <source>No translation for %1 is installed.</source>
        <translation>未安装 %1 的翻译。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="270"/>
        <location filename="../ui/MainWindow.cpp" line="280"/>
        <source>Could not save the settings to %1.</source>
        <translation>无法将设置保存到 %1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="288"/>
        <source>loading the model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="289"/>
        <source>opening the dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="290"/>
        <source>evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="291"/>
        <source>synthesis</source>
        <translation>合成</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="292"/>
        <source>saving the synthetic set</source>
        <translation>保存合成数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="293"/>
        <source>experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="294"/>
        <source>re-quantization trial</source>
        <translation>重新量化试验</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="295"/>
        <source>sensitivity measurement</source>
        <translation>敏感度测量</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="296"/>
        <source>assessing the run&apos;s set</source>
        <translation>评估运行的数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="297"/>
        <source>the ONNX Runtime check</source>
        <translation>ONNX Runtime 检查</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="315"/>
        <source>Busy (%1): wait for it to finish or cancel it.</source>
        <translation>正忙（%1）：请等待完成或取消。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="40"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="41"/>
        <source>Open &amp;model…</source>
        <translation>打开模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="45"/>
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="46"/>
        <source>Checkpoints (*.pt *.pth *.th *.tar *.bin);;All files (*)</source>
        <translation>检查点 (*.pt *.pth *.th *.tar *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="50"/>
        <source>Open &amp;dataset folder…</source>
        <translation>打开数据集文件夹(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="53"/>
        <source>Open dataset folder</source>
        <translation>打开数据集文件夹</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="57"/>
        <source>Recent &amp;models</source>
        <translation>最近的模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="59"/>
        <source>Recent data&amp;sets</source>
        <translation>最近的数据集(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="61"/>
        <source>Open &amp;run…</source>
        <translation>打开运行(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="65"/>
        <source>Open run directory</source>
        <translation>打开运行目录</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="69"/>
        <source>Recent r&amp;uns</source>
        <translation>最近的运行(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="79"/>
        <source>Run &amp;experiment…</source>
        <translation>运行实验(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="82"/>
        <source>Experiment config</source>
        <translation>实验配置</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="82"/>
        <source>Experiment configs (*.json)</source>
        <translation>实验配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="87"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="90"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="91"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="92"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="95"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="96"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="97"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="107"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="110"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="119"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="120"/>
        <source>&amp;About DFQ Studio</source>
        <translation>关于 DFQ Studio(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="125"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="126"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="132"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="132"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="132"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="132"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="141"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="567"/>
        <location filename="../ui/MainWindowLayout.cpp" line="142"/>
        <source>No dataset loaded</source>
        <translation>未加载数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="147"/>
        <source>FP32 evaluation</source>
        <translation>FP32 评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="148"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="150"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="156"/>
        <source>Not evaluated yet</source>
        <translation>尚未评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="164"/>
        <source>top-1 per class (%)</source>
        <translation>各类别 top-1 (%)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="181"/>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="182"/>
        <location filename="../ui/MainWindowLayout.cpp" line="278"/>
        <source>&amp;Synthesize</source>
        <translation>合成(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="185"/>
        <source>&amp;Bit-widths</source>
        <translation>位宽(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="188"/>
        <source>R&amp;uns</source>
        <translation>运行(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="197"/>
        <source>Run opened: %1</source>
        <translation>已打开运行：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="201"/>
        <source>Could not open run %1: %2</source>
        <translation>无法打开运行 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="203"/>
        <source>Cannot open run</source>
        <translation>无法打开运行</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="204"/>
        <source>%1

Open a run directory written by `dfq run`, `dfq sweep` or File &gt; Run experiment…</source>
        <translation>%1

请打开由 `dfq run`、`dfq sweep` 或“文件 &gt; 运行实验…”写出的运行目录。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="578"/>
        <location filename="../ui/MainWindowLayout.cpp" line="211"/>
        <source>none yet: synthesize a set</source>
        <translation>尚无：请先合成一个数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="213"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="216"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="240"/>
        <source>Model and data</source>
        <translation>模型与数据</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="250"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="258"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="272"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="274"/>
        <source>&amp;Evaluate FP32</source>
        <translation>评估 FP32(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindowLayout.cpp" line="283"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="324"/>
        <source>Loading model %1 …</source>
        <translation>正在加载模型 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="331"/>
        <source>Opening dataset %1 …</source>
        <translation>正在打开数据集 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="339"/>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="340"/>
        <source>Evaluating %1 on %2 …</source>
        <translation>正在 %2 上评估 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="357"/>
        <source>Synthesising %1 images with %2 …</source>
        <translation>正在用 %2 合成 %1 张图像 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="358"/>
        <source>Synthesising %1 images with %2 (seed %3) …</source>
        <translation>正在用 %2 合成 %1 张图像（种子 %3）…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="364"/>
        <source>Open a model first: the generator is trained against it.</source>
        <translation>请先打开模型：生成器要针对它训练。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="384"/>
        <source>Training %1 (%2) at %3 …</source>
        <translation>正在训练 %1（%2），位宽 %3 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="394"/>
        <source>Could not write %1: %2 (Settings: files/runsDirectory).</source>
        <translation>无法写入 %1：%2（设置：files/runsDirectory）。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="403"/>
        <source>Saving the synthetic set to %1 …</source>
        <translation>正在将合成数据集保存到 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="426"/>
        <source>Synthesize a calibration set first: sensitivity is measured on it.</source>
        <translation>请先合成校准集：敏感度在其上测量。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="431"/>
        <source>Busy (%1): try again when it has finished.</source>
        <translation>忙（%1）：请在其完成后重试。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="434"/>
        <source>Measuring per-layer sensitivity …</source>
        <translation>正在测量逐层敏感度 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="442"/>
        <source>Assessing the synthetic set of %1 …</source>
        <translation>正在评估 %1 的合成数据集 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="448"/>
        <source>Open a test dataset first: the check runs on it.</source>
        <translation>请先打开测试数据集：检查在其上运行。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="454"/>
        <source>Running %1 in ONNX Runtime on %2 …</source>
        <translation>正在 ONNX Runtime 中于 %2 上运行 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="462"/>
        <source>Open a test dataset to see the quantized accuracy.</source>
        <translation>打开测试数据集以查看量化后的准确率。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="466"/>
        <source>Synthesize a calibration set (Synthesize tab) to see the quantized accuracy.</source>
        <translation>合成一个校准集（“合成”标签页）以查看量化后的准确率。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="474"/>
        <source>Waiting for %1 to finish.</source>
        <translation>等待 %1 完成。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="490"/>
        <source>Resuming run %1</source>
        <translation>正在继续运行 %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="500"/>
        <source>Open a test dataset first: the run evaluates on it.</source>
        <translation>请先打开测试数据集：运行将在其上评估。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="502"/>
        <source>Synthesize a calibration set first (Synthesize tab): the run calibrates on it.</source>
        <translation>请先合成校准集（“合成”标签页）：运行将在其上校准。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="504"/>
        <source>Busy (%1): quantize when it has finished.</source>
        <translation>忙（%1）：请在其完成后再量化。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="527"/>
        <source>Cannot create the runs folder %1 (Settings: files/runsDirectory).</source>
        <translation>无法创建运行文件夹 %1（设置项：files/runsDirectory）。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="531"/>
        <source>Saving the calibration set …</source>
        <translation>正在保存校准集 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="540"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="543"/>
        <source>Running %1 …</source>
        <translation>正在运行 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="551"/>
        <source>Experiment %1</source>
        <translation>实验 %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="564"/>
        <source>Opening dataset %1 again for the new model&apos;s input.</source>
        <translation>正在按新模型的输入重新打开数据集 %1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="569"/>
        <source>&lt;b&gt;%1&lt;/b&gt;%2 · %3&lt;br&gt;input %4×%5×%6 · %7 classes · %8 parameters&lt;br&gt;%9 quantizable layers · %10 BN layers&lt;br&gt;&lt;small&gt;%11&lt;/small&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;%2 · %3&lt;br&gt;输入 %4×%5×%6 · %7 个类别 · %8 个参数&lt;br&gt;%9 个可量化层 · %10 个 BN 层&lt;br&gt;&lt;small&gt;%11&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="571"/>
        <source> (detected)</source>
        <translation>（自动识别）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="583"/>
        <source>Model %1 loaded: %2 parameters.</source>
        <translation>模型 %1 已加载：%2 个参数。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="600"/>
        <source>Dataset ready: %1</source>
        <translation>数据集就绪：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="345"/>
        <location filename="../ui/MainWindow.cpp" line="602"/>
        <source>Note: %1</source>
        <translation>注意：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="136"/>
        <source>Cancelled: %1.</source>
        <translation>已取消：%1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="215"/>
        <source>Experiment cancelled; Runs &gt; Resume (or `dfq resume %1`) continues it.</source>
        <translation>实验已取消；“运行 &gt; 继续”（或 `dfq resume %1`）可继续它。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="610"/>
        <source>top-1 &lt;b&gt;%1 %&lt;/b&gt; · top-5 %2 % · %3 images in %4 s (%5 images/s)</source>
        <translation>top-1 &lt;b&gt;%1 %&lt;/b&gt; · top-5 %2 % · %3 张图像，用时 %4 秒（%5 张/秒）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="632"/>
        <source>Evaluated: top-1 %1 %, top-5 %2 %.</source>
        <translation>评估完成：top-1 %1 %，top-5 %2 %。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="638"/>
        <location filename="../ui/MainWindow.cpp" line="639"/>
        <location filename="../ui/MainWindow.cpp" line="676"/>
        <location filename="../ui/MainWindow.cpp" line="681"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="644"/>
        <source>Cannot open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="645"/>
        <source>DFQ Studio reads PyTorch checkpoints (.pt, .pth, .th, .tar: zip or legacy pickle) of the architectures `dfq info` lists. %1</source>
        <translation>DFQ Studio 读取 `dfq info` 所列架构的 PyTorch 检查点（.pt、.pth、.th、.tar：zip 或旧版 pickle）。%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="647"/>
        <source>No model is loaded.</source>
        <translation>当前没有已加载的模型。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="647"/>
        <source>%1 stays open.</source>
        <translation>%1 仍保持打开。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="649"/>
        <source>Cannot open the dataset</source>
        <translation>无法打开数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="650"/>
        <source>Open a folder of class folders of images (ImageFolder), Fashion-MNIST/MNIST IDX files or the CIFAR-10 binary batches, with the model&apos;s classes.</source>
        <translation>请打开按类别分文件夹的图像目录（ImageFolder）、Fashion-MNIST/MNIST IDX 文件或 CIFAR-10 二进制批次，其类别须与模型一致。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="653"/>
        <source>Cannot evaluate</source>
        <translation>无法评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="654"/>
        <source>The test data must have the model&apos;s input size and at most its number of classes.</source>
        <translation>测试数据须符合模型的输入尺寸，类别数不得多于模型的类别数。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="663"/>
        <source>Dataset %1 not opened: no model is loaded.</source>
        <translation>未打开数据集 %1：尚未加载模型。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="667"/>
        <source>Not run: the calibration set could not be saved (%1).</source>
        <translation>未运行：无法保存校准集（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="670"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="672"/>
        <source>ONNX Runtime check failed: %1</source>
        <translation>ONNX Runtime 检查失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="674"/>
        <source>Trial failed: %1</source>
        <translation>试验失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="678"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>dfq::ui::MethodOptionsForm</name>
    <message>
        <location filename="../ui/MethodOptionsForm.cpp" line="34"/>
        <source>Reset options to defaults</source>
        <translation>将选项恢复为默认值</translation>
    </message>
    <message>
        <location filename="../ui/MethodOptionsForm.cpp" line="45"/>
        <source>
One of: %1</source>
        <translation>
可选值：%1</translation>
    </message>
    <message>
        <location filename="../ui/MethodOptionsForm.cpp" line="47"/>
        <source>
Range: %1 to %2</source>
        <translation>
范围：%1 到 %2</translation>
    </message>
    <message>
        <location filename="../ui/MethodOptionsForm.cpp" line="48"/>
        <source>
Default: %1</source>
        <translation>
默认值：%1</translation>
    </message>
</context>
<context>
    <name>dfq::ui::MixedPrecisionView</name>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="36"/>
        <source>Measure sensitivity</source>
        <translation>测量敏感度</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="38"/>
        <source>Quantize one layer&apos;s weights at a time and measure the KL divergence of the model&apos;s output on the calibration set (ZeroQ&apos;s sensitivity).</source>
        <translation>每次只量化一层的权重，在校准集上测量模型输出的 KL 散度（ZeroQ 的敏感度）。</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="42"/>
        <source>Candidate weight widths, 2 to 8, separated by spaces</source>
        <translation>候选权重位宽，2 到 8，以空格分隔</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="44"/>
        <source>Sensitivity not measured yet.</source>
        <translation>尚未测量敏感度。</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="52"/>
        <source>Ω, output KL (log)</source>
        <translation>Ω，输出 KL（对数）</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="66"/>
        <source>weight storage (KiB)</source>
        <translation>权重存储（KiB）</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="67"/>
        <source>Σ Ω (log)</source>
        <translation>Σ Ω（对数）</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="70"/>
        <source>Each point is the least sensitive allocation within its size; click one to apply it.</source>
        <translation>每个点都是该大小内敏感度最低的分配；点击即可应用。</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="72"/>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="77"/>
        <source>current spec</source>
        <translation>当前配置</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="95"/>
        <source>Widths</source>
        <translation>位宽</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="120"/>
        <source>Measuring the sensitivity of every layer …</source>
        <translation>正在测量每一层的敏感度 …</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="128"/>
        <source>%1 layers × %2 widths on %3 calibration images in %4 s; %5 points on the front. Click a point to apply it.</source>
        <translation>%1 层 × %2 种位宽，%3 张校准图像，用时 %4 秒；前沿上有 %5 个点。点击一个点即可应用。</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="144"/>
        <source>W%1</source>
        <translation>W%1</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="224"/>
        <source>Pareto point: %1 weights, Σ Ω %2 (W %3)</source>
        <translation>帕累托点：权重 %1，Σ Ω %2（W %3）</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="238"/>
        <source>W%1: Ω = %2</source>
        <translation>W%1：Ω = %2</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="239"/>
        <source>%1 (%2 weights)
%3</source>
        <translation>%1（%2 个权重）
%3</translation>
    </message>
    <message>
        <location filename="../ui/MixedPrecisionView.cpp" line="259"/>
        <source>%1 weights, Σ Ω = %2
%3</source>
        <translation>权重 %1，Σ Ω = %2
%3</translation>
    </message>
</context>
<context>
    <name>dfq::ui::ModeCollapseView</name>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="27"/>
        <source>per class</source>
        <translation>每个类别</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="49"/>
        <source>The most similar images within each class (cosine of the teacher&apos;s penultimate features): pairs near 1.000 are the same mode drawn twice</source>
        <translation>每个类别中最相似的图像（教师网络倒数第二层特征的余弦）：接近 1.000 的图像对是同一模式被画了两次</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="71"/>
        <source>Diversity and mode collapse per class appear when a set is finished or a generator epoch ends.</source>
        <translation>数据集完成或生成器一个轮次结束时，这里显示每个类别的多样性和模式坍塌。</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="80"/>
        <source>%1: %2 image(s)
diversity %3 (mean cosine distance of features)
mode collapse %4 (0 = as diverse as noise, 1 = one image)</source>
        <translation>%1：%2 张图像
多样性 %3（特征的平均余弦距离）
模式坍塌 %4（0 = 与噪声一样多样，1 = 只有一张图像）</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="89"/>
        <source>diversity</source>
        <translation>多样性</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="92"/>
        <source>mode collapse</source>
        <translation>模式坍塌</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="129"/>
        <source>%1 · cos %2</source>
        <translation>%1 · 余弦 %2</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="132"/>
        <source>Class %1: cosine similarity %2 of the teacher&apos;s features</source>
        <translation>类别 %1：教师网络特征的余弦相似度 %2</translation>
    </message>
    <message>
        <location filename="../ui/ModeCollapseView.cpp" line="138"/>
        <source>%1 · %2 of %3 classes collapsed past 0.5 · the %4 most similar pairs</source>
        <translation>%1 · %3 个类别中有 %2 个坍塌超过 0.5 · 最相似的 %4 对</translation>
    </message>
</context>
<context>
    <name>dfq::ui::ModelWorker</name>
    <message>
        <location filename="../ui/ModelWorker.cpp" line="344"/>
        <source>%1 set of the run, %2 images</source>
        <translation>运行的 %1 数据集，%2 张图像</translation>
    </message>
    <message>
        <location filename="../ui/ModelWorker.cpp" line="358"/>
        <source>ONNX Runtime %1: top-1 %2 % vs simulated %3 % (%4 points) on %5 images; %6 % same class; largest logit difference %7; %8 integer and %9 float convolutions in the graph it ran.</source>
        <translation>ONNX Runtime %1：top-1 %2 %，模拟 %3 %（差 %4 个百分点），共 %5 张图像；%6 % 预测类别相同；最大 logit 差 %7；其运行的图中有 %8 个整数卷积和 %9 个浮点卷积。</translation>
    </message>
    <message>
        <location filename="../ui/ModelWorker.cpp" line="371"/>
        <source> None is integer: BN was kept, so a float BatchNormalization sits between each conv and its quantizer; tick Fold BN in Bit-widths for integer convolutions.</source>
        <translation> 没有整数卷积：BN 未折叠，每个卷积与其量化器之间有一个浮点 BatchNormalization；在“位宽”中勾选“将 BN 折叠进卷积”即可得到整数卷积。</translation>
    </message>
</context>
<context>
    <name>dfq::ui::QuantSpecTable</name>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="240"/>
        <source>, mixed: 1 quantizer changed</source>
        <translation>，混合：1 个量化器已更改</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="240"/>
        <source>, mixed: %1 quantizers changed</source>
        <translation>，混合：%1 个量化器已更改</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="258"/>
        <source>Quantizer</source>
        <translation>量化器</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="259"/>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="260"/>
        <source>Bits</source>
        <translation>位宽</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="261"/>
        <source>Per-channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="262"/>
        <source>Observer</source>
        <translation>观察器</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="263"/>
        <source>Weights</source>
        <translation>权重数</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="283"/>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="283"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="283"/>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="379"/>
        <source>%1 %2: %3 → %4 bits</source>
        <translation>%1 %2：%3 → %4 位</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="393"/>
        <source>%1 weight: per-channel</source>
        <translation>%1 权重：逐通道</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="393"/>
        <source>%1 weight: per-tensor</source>
        <translation>%1 权重：逐张量</translation>
    </message>
    <message>
        <location filename="../ui/QuantSpecTable.cpp" line="398"/>
        <source>%1: observer %2 → %3</source>
        <translation>%1：观察器 %2 → %3</translation>
    </message>
</context>
<context>
    <name>dfq::ui::QuantizeRunBox</name>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="11"/>
        <source>Full quantization run</source>
        <translation>完整量化运行</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="14"/>
        <source>none: calibrate the ranges only</source>
        <translation>无：仅校准范围</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="15"/>
        <source>AdaRound (per layer)</source>
        <translation>AdaRound（逐层）</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="16"/>
        <source>BRECQ (per block)</source>
        <translation>BRECQ（逐块）</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="24"/>
        <source>Iterations per layer (AdaRound) or block (BRECQ); the papers use 20,000</source>
        <translation>每层（AdaRound）或每块（BRECQ）的迭代次数；论文使用 20,000</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="28"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="29"/>
        <source>QAT with distillation from the FP32 model over the calibration set, after PTQ</source>
        <translation>PTQ 之后，在校准集上以 FP32 模型蒸馏进行 QAT</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="30"/>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="32"/>
        <source>Quantize with this spec on the current calibration set, evaluate on the whole test set and export the model; the run opens in the Runs tab</source>
        <translation>用此配置在当前校准集上量化，在整个测试集上评估并导出模型；运行会在“运行”标签页中打开</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="43"/>
        <source>Reconstruction</source>
        <translation>重建</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="44"/>
        <source>Iterations</source>
        <translation>迭代次数</translation>
    </message>
    <message>
        <location filename="../ui/QuantizeRunBox.cpp" line="45"/>
        <source>QAT-KD epochs</source>
        <translation>QAT-KD 轮数</translation>
    </message>
</context>
<context>
    <name>dfq::ui::RecentFileList</name>
    <message>
        <location filename="../ui/RecentFileList.cpp" line="66"/>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
</context>
<context>
    <name>dfq::ui::RunsPanel</name>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="51"/>
        <source>Could not open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="55"/>
        <source>Open run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="58"/>
        <source>Open run directory</source>
        <translation>打开运行目录</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="62"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="64"/>
        <source>Continue an interrupted run from its last completed stage or epoch</source>
        <translation>从最后完成的阶段或轮次继续被中断的运行</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="70"/>
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="78"/>
        <source>Assess set</source>
        <translation>评估数据集</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="80"/>
        <source>Measure the run&apos;s synthetic set: class centroid map and mode collapse</source>
        <translation>测量运行的合成数据集：类别质心图与模式坍塌</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="87"/>
        <source>Check in ONNX Runtime</source>
        <translation>在 ONNX Runtime 中检查</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="89"/>
        <source>Run the exported integer model (export/model.onnx) in ONNX Runtime on the open test set and compare it with the simulated accuracy</source>
        <translation>在 ONNX Runtime 中于已打开的测试集上运行导出的整数模型（export/model.onnx），并与模拟精度比较</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>PTQ</source>
        <translation>PTQ</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>W/A</source>
        <translation>W/A</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="100"/>
        <source>FP32 %</source>
        <translation>FP32 %</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="101"/>
        <source>Quantized %</source>
        <translation>量化后 %</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="101"/>
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="103"/>
        <source>Checked runs are overlaid in the curves; the selected run&apos;s snapshots are shown below.</source>
        <translation>勾选的运行在曲线中叠加显示；下方显示所选运行的快照。</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="120"/>
        <source>No smoothing</source>
        <translation>不平滑</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="121"/>
        <source>Debiased EMA</source>
        <translation>去偏 EMA</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="122"/>
        <source>Moving average</source>
        <translation>移动平均</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="131"/>
        <source>Window (points)</source>
        <translation>窗口（点数）</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="136"/>
        <source>EMA weight: 0 = raw, 0.99 = very smooth</source>
        <translation>EMA 权重：0 = 原始，0.99 = 非常平滑</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="160"/>
        <source>weight bits</source>
        <translation>权重位宽</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="161"/>
        <source>quantized top-1 (%)</source>
        <translation>量化后 top-1（%）</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="180"/>
        <source>Open a run directory (File &gt; Open run…) to see its curves, snapshots and results.</source>
        <translation>打开一个运行目录（文件 &gt; 打开运行…）以查看其曲线、快照和结果。</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="192"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="224"/>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="225"/>
        <source>Centroids</source>
        <translation>质心</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="226"/>
        <source>Mode collapse</source>
        <translation>模式坍塌</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="238"/>
        <source>Reading %1 …</source>
        <translation>正在读取 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="319"/>
        <source> (last line cut off)</source>
        <translation>（最后一行被截断）</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="345"/>
        <source>%1 is %2: Resume continues it.</source>
        <translation>%1 处于 %2 状态：“继续”可接着运行。</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="346"/>
        <source>%1: %2 (%3).</source>
        <translation>%1：%2（%3）。</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="381"/>
        <source> raw</source>
        <translation> 原始</translation>
    </message>
    <message>
        <location filename="../ui/RunsPanel.cpp" line="432"/>
        <source>FP32</source>
        <translation>FP32</translation>
    </message>
</context>
<context>
    <name>dfq::ui::SnapshotViewer</name>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="32"/>
        <source>step </source>
        <translation>步 </translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="36"/>
        <source>1:1 pixels</source>
        <translation>1:1 像素</translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="39"/>
        <source>Pin for comparison</source>
        <translation>固定以便比较</translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="41"/>
        <source>Keep this snapshot on the left while you scrub or select another run</source>
        <translation>拖动或选择其他运行时，将此快照保留在左侧</translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="87"/>
        <source>No snapshots in this run.</source>
        <translation>此运行没有快照。</translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="152"/>
        <source>%1 (%2 of %3) · %4 × %5 px</source>
        <translation>%1（第 %2 / %3 张）· %4 × %5 像素</translation>
    </message>
    <message>
        <location filename="../ui/SnapshotViewer.cpp" line="164"/>
        <source>left: %1 · right: %2</source>
        <translation>左：%1 · 右：%2</translation>
    </message>
</context>
<context>
    <name>dfq::ui::SynthesisPanel</name>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="36"/>
        <source>zeroq / dsg / intraq / genie distil images from the BN statistics; noise and real are baselines; gdfq and clusterq train a generator and the quantized student together</source>
        <translation>zeroq / dsg / intraq / genie 从 BN 统计量蒸馏图像；noise 和 real 是基线；gdfq 和 clusterq 同时训练生成器和量化学生模型</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="47"/>
        <source>Images to synthesise (pixel methods; a generator method trains for its budget instead)</source>
        <translation>要合成的图像数（像素方法；生成器方法则按其预算训练）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="51"/>
        <location filename="../ui/SynthesisPanel.cpp" line="216"/>
        <source>Synthesize</source>
        <translation>合成</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="53"/>
        <source>Save set…</source>
        <translation>保存数据集…</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="56"/>
        <source>PNG ImageFolder + exact float tensors, usable by `dfq quantize --calib synth:DIR`</source>
        <translation>PNG ImageFolder + 精确浮点张量，可用于 `dfq quantize --calib synth:DIR`</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="59"/>
        <source>Method &amp;&amp; Budget</source>
        <translation>方法与预算</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="61"/>
        <source>&amp;Method</source>
        <translation>方法(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="63"/>
        <source>&amp;Images</source>
        <translation>图像数(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="88"/>
        <source>The latest images the teacher assigns to each class (up to %1 per class from the current batch); click one to see it large</source>
        <translation>教师网络归入每个类别的最新图像（当前批次中每类最多 %1 张）；点击即可放大查看</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="64"/>
        <source>S&amp;eed</source>
        <translation>种子(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="98"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="99"/>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="125"/>
        <source>BN divergence</source>
        <translation>BN 散度</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="130"/>
        <source>Choose a method and press Synthesize. The images, the loss and the per-layer BN divergence update while it runs.</source>
        <translation>选择方法并点击“合成”。运行时图像、损失和各层 BN 散度会实时更新。</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="138"/>
        <source>BN divergence of every layer (rows) at every diagnostics step (columns): layers that stay bright converge late or not at all</source>
        <translation>每一层（行）在每个诊断步（列）的 BN 散度：一直偏亮的层收敛较晚或不收敛</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="153"/>
        <source>Loss &amp;&amp; BN divergence</source>
        <translation>损失与 BN 散度</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="154"/>
        <source>Centroids</source>
        <translation>质心</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="155"/>
        <source>Mode collapse</source>
        <translation>模式坍塌</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="156"/>
        <source>Generator curves</source>
        <translation>生成器曲线</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="177"/>
        <source>Save synthetic set as folder</source>
        <translation>将合成数据集保存为文件夹</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="192"/>
        <source>%1 (generator)</source>
        <translation>%1（生成器）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="216"/>
        <source>Train generator</source>
        <translation>训练生成器</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="217"/>
        <source>Trains the generator and the quantized student together at the Bit-widths tab&apos;s spec, as an experiment (a run in the Runs tab, resumable)</source>
        <translation>按“位宽”标签页的规格同时训练生成器和量化学生模型，作为一次实验（在“运行”标签页中，可恢复）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="219"/>
        <source>Distils the images from the model&apos;s BN statistics</source>
        <translation>从模型的 BN 统计量蒸馏图像</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="303"/>
        <source>KL</source>
        <translation>KL</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="304"/>
        <source>mean gap</source>
        <translation>均值差</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="305"/>
        <source>std gap</source>
        <translation>标准差差</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="343"/>
        <source>%1
KL %2
mean gap %3
std gap %4</source>
        <translation>%1
KL %2
均值差 %3
标准差差 %4</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="347"/>
        <source>BN divergence of the current batch, step %1</source>
        <translation>当前批次的 BN 散度，第 %1 步</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="401"/>
        <source>%1: %2 image(s) of the current batch the teacher assigns to it at step %3</source>
        <translation>%1：第 %3 步时教师模型将当前批次中 %2 张图像分到此类</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="425"/>
        <source>Synthetic set, %1 images</source>
        <translation>合成数据集，%1 张图像</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="454"/>
        <source>Probe at epoch %1 of %2</source>
        <translation>第 %1 轮（共 %2 轮）的探针</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="455"/>
        <source>BN divergence of the probe, epoch %1 (mean KL %2)</source>
        <translation>探针的 BN 散度，第 %1 轮（平均 KL %2）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="456"/>
        <source>&lt;b&gt;Epoch %1 of %2&lt;/b&gt; · student top-1 %3 · probe BN KL %4 · %5 s per epoch</source>
        <translation>&lt;b&gt;第 %1 轮，共 %2 轮&lt;/b&gt; · 学生模型 top-1 %3 · 探针 BN KL %4 · 每轮 %5 秒</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="458"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="458"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="434"/>
        <source>BN divergence of the whole set (mean KL %1)</source>
        <translation>整个数据集的 BN 散度（平均 KL %1）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="106"/>
        <location filename="../ui/SynthesisPanel.cpp" line="331"/>
        <source>per layer (log)</source>
        <translation>每层（对数）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="107"/>
        <source>Per BN layer: KL of the batch statistics from the running ones, and the L2 gaps of the channel means and standard deviations; hover a layer for its numbers</source>
        <translation>每个 BN 层：批统计量相对运行统计量的 KL，以及通道均值和标准差的 L2 差距；悬停在某层上可查看数值</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="438"/>
        <source>&lt;b&gt;%1 images by %2 in %3 s&lt;/b&gt; · mean BN KL %4 · mean-L2 %5 · intra-class diversity: features %6, pixels %7 · teacher: mean max-probability %8, entropy %9 nats&lt;br&gt;per class: %10</source>
        <translation>&lt;b&gt;%2 生成 %1 张图像，用时 %3 秒&lt;/b&gt; · 平均 BN KL %4 · 均值 L2 %5 · 类内多样性：特征 %6，像素 %7 · 教师模型：平均最大概率 %8，熵 %9 nats&lt;br&gt;各类别：%10</translation>
    </message>
</context>
<context>
    <name>dfq::ui::TrainingCurves</name>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="25"/>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="26"/>
        <source>epoch-mean loss (log)</source>
        <translation>每轮平均损失（对数）</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="30"/>
        <source>student top-1 (%)</source>
        <translation>学生模型 top-1（%）</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="35"/>
        <source>Smoothed (debiased EMA %1)</source>
        <translation>平滑（去偏 EMA %1）</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="55"/>
        <source>A generator method (gdfq, clusterq) draws its losses and the student&apos;s accuracy here, epoch by epoch.</source>
        <translation>生成器方法（gdfq、clusterq）在这里逐轮绘制其损失和学生模型的准确率。</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="71"/>
        <source>Epoch %1 of %2 · %3 iterations · %4 s · student %5 · probe BN KL %6</source>
        <translation>第 %1 轮，共 %2 轮 · %3 次迭代 · %4 秒 · 学生模型 %5 · 探针 BN KL %6</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="73"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="74"/>
        <source>not evaluated</source>
        <translation>未评估</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="74"/>
        <source>warming up</source>
        <translation>预热中</translation>
    </message>
    <message>
        <location filename="../ui/TrainingCurves.cpp" line="112"/>
        <source>%1 (smoothed)</source>
        <translation>%1（平滑）</translation>
    </message>
</context>
</TS>
