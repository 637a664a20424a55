<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>dfq::ui::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="45"/>
        <source>DFQ Studio</source>
        <translation>DFQ Studio</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="68"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="71"/>
        <source>Synthesis cancelled.</source>
        <translation>合成已取消。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="84"/>
        <source>Synthesised %1 images with %2 in %3 s: mean BN KL %4, feature diversity %5.</source>
        <translation>已用 %2 合成 %1 张图像，用时 %3 秒：平均 BN KL %4，特征多样性 %5。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="90"/>
        <source>Synthetic set saved to %1 (use it with `dfq quantize --calib synth:%1`).</source>
        <translation>合成数据集已保存到 %1（可用于 `dfq quantize --calib synth:%1`）。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="111"/>
        <source>Experiment stage %1/%2: %3</source>
        <translation>实验阶段 %1/%2：%3</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="114"/>
        <source>Experiment: synthesising its calibration set …</source>
        <translation>实验：正在合成校准集 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="119"/>
        <source>%p% · ETA %1 s</source>
        <translation>%p% · 剩余约 %1 秒</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="124"/>
        <source>Experiment finished: %1
Report: %2/report.html</source>
        <translation>实验完成：%1
报告：%2/report.html</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="129"/>
        <source>Experiment cancelled; `dfq resume %1` continues it.</source>
        <translation>实验已取消；可用 `dfq resume %1` 继续。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="137"/>
        <source>%1 threads · BLAS: %2</source>
        <translation>%1 个线程 · BLAS：%2</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="137"/>
        <source>OpenBLAS</source>
        <translation>OpenBLAS</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="137"/>
        <source>reference (slow)</source>
        <translation>参考实现（较慢）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="139"/>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="147"/>
        <source>The embedded default model was not found; open a checkpoint with File &gt; Open model.</source>
        <translation>未找到内置默认模型；请通过“文件 &gt; 打开模型”打开检查点。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="167"/>
        <source>loading the model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="168"/>
        <source>opening the dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="169"/>
        <source>evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="170"/>
        <source>synthesis</source>
        <translation>合成</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="171"/>
        <source>saving the synthetic set</source>
        <translation>保存合成数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="172"/>
        <source>experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="179"/>
        <source>Busy (%1): wait for it to finish or cancel it.</source>
        <translation>正忙（%1）：请等待完成或取消。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="187"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="188"/>
        <source>Open &amp;model…</source>
        <translation>打开模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="192"/>
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="193"/>
        <source>Checkpoints (*.pt *.pth *.th *.tar *.bin);;All files (*)</source>
        <translation>检查点 (*.pt *.pth *.th *.tar *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="197"/>
        <source>Open &amp;dataset folder…</source>
        <translation>打开数据集文件夹(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="200"/>
        <source>Open dataset folder</source>
        <translation>打开数据集文件夹</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="204"/>
        <source>Run &amp;experiment…</source>
        <translation>运行实验(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="207"/>
        <source>Experiment config</source>
        <translation>实验配置</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="207"/>
        <source>Experiment configs (*.json)</source>
        <translation>实验配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="212"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="215"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="216"/>
        <source>&amp;About DFQ Studio</source>
        <translation>关于 DFQ Studio(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="217"/>
        <source>About DFQ Studio</source>
        <translation>关于 DFQ Studio</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="218"/>
        <source>&lt;b&gt;DFQ Studio %1&lt;/b&gt;&lt;p&gt;Data-free quantization of convolutional networks.&lt;/p&gt;</source>
        <translation>&lt;b&gt;DFQ Studio %1&lt;/b&gt;&lt;p&gt;卷积神经网络的无数据量化。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="223"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="224"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="230"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="239"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="240"/>
        <location filename="../ui/MainWindow.cpp" line="376"/>
        <source>No dataset loaded</source>
        <translation>未加载数据集</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="245"/>
        <source>FP32 evaluation</source>
        <translation>FP32 评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="246"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="248"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="254"/>
        <source>Not evaluated yet</source>
        <translation>尚未评估</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="262"/>
        <source>top-1 per class (%)</source>
        <translation>各类别 top-1 (%)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="278"/>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="279"/>
        <source>&amp;Synthesize</source>
        <translation>合成(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="304"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="314"/>
        <source>Loading model %1 …</source>
        <translation>正在加载模型 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="321"/>
        <source>Opening dataset %1 …</source>
        <translation>正在打开数据集 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="329"/>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="330"/>
        <source>Evaluating %1 on %2 …</source>
        <translation>正在 %2 上评估 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="345"/>
        <source>Synthesising %1 images with %2 …</source>
        <translation>正在用 %2 合成 %1 张图像 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="346"/>
        <source>Synthesising %1 images with %2 (seed %3) …</source>
        <translation>正在用 %2 合成 %1 张图像（种子 %3）…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="353"/>
        <source>Saving the synthetic set to %1 …</source>
        <translation>正在将合成数据集保存到 %1 …</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="362"/>
        <source>Experiment %1</source>
        <translation>实验 %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="373"/>
        <source>Opening dataset %1 again for the new model&apos;s input.</source>
        <translation>正在按新模型的输入重新打开数据集 %1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="378"/>
        <source>&lt;b&gt;%1&lt;/b&gt;%2 · %3&lt;br&gt;input %4×%5×%6 · %7 classes · %8 parameters&lt;br&gt;%9 quantizable layers · %10 BN layers&lt;br&gt;&lt;small&gt;%11&lt;/small&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;%2 · %3&lt;br&gt;输入 %4×%5×%6 · %7 个类别 · %8 个参数&lt;br&gt;%9 个可量化层 · %10 个 BN 层&lt;br&gt;&lt;small&gt;%11&lt;/small&gt;</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="380"/>
        <source> (detected)</source>
        <translation>（自动识别）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="389"/>
        <source>Model %1 loaded: %2 parameters.</source>
        <translation>模型 %1 已加载：%2 个参数。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="403"/>
        <source>Dataset ready: %1</source>
        <translation>数据集就绪：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="335"/>
        <location filename="../ui/MainWindow.cpp" line="405"/>
        <source>Note: %1</source>
        <translation>注意：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="66"/>
        <source>Cancelled: %1.</source>
        <translation>已取消：%1。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="411"/>
        <source>top-1 &lt;b&gt;%1 %&lt;/b&gt; · top-5 %2 % · %3 images in %4 s (%5 images/s)</source>
        <translation>top-1 &lt;b&gt;%1 %&lt;/b&gt; · top-5 %2 % · %3 张图像，用时 %4 秒（%5 张/秒）</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="433"/>
        <source>Evaluated: top-1 %1 %, top-5 %2 %.</source>
        <translation>评估完成：top-1 %1 %，top-5 %2 %。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="438"/>
        <location filename="../ui/MainWindow.cpp" line="439"/>
        <location filename="../ui/MainWindow.cpp" line="447"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="441"/>
        <source>Dataset %1 not opened: no model is loaded.</source>
        <translation>未打开数据集 %1：尚未加载模型。</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="444"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>dfq::ui::SynthesisPanel</name>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="25"/>
        <source>zeroq / dsg / intraq / genie distil images from the BN statistics; noise and real are baselines</source>
        <translation>zeroq / dsg / intraq / genie 从 BN 统计量蒸馏图像；noise 和 real 为基线</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="34"/>
        <source>method default</source>
        <translation>方法默认值</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="35"/>
        <source>optimisation steps per batch (0: the method&apos;s default, 500 for ZeroQ); only for methods that optimise</source>
        <translation>每批优化步数（0：方法默认值，ZeroQ 为 500）；仅适用于需要优化的方法</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="40"/>
        <source>Synthesize</source>
        <translation>合成</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="42"/>
        <source>Save set…</source>
        <translation>保存数据集…</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="45"/>
        <source>PNG ImageFolder + exact float tensors, usable by `dfq quantize --calib synth:DIR`</source>
        <translation>PNG ImageFolder + 精确浮点张量，可用于 `dfq quantize --calib synth:DIR`</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="54"/>
        <source>&amp;Method</source>
        <translation>方法(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="55"/>
        <source>&amp;Images</source>
        <translation>图像数(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="56"/>
        <source>I&amp;terations</source>
        <translation>迭代次数(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="57"/>
        <source>S&amp;eed</source>
        <translation>种子(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="71"/>
        <source>The latest images the teacher assigns to each class (up to %1 per class from the current batch)</source>
        <translation>教师模型分到各类别的最新图像（每类最多 %1 张，取自当前批次）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="79"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="80"/>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="87"/>
        <source>BN KL per layer (log)</source>
        <translation>各层 BN KL（对数）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="91"/>
        <source>BN divergence</source>
        <translation>BN 散度</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="96"/>
        <source>Penultimate features of every image on the two principal axes of the class centroids; crosses are the centroids. Tight clusters mean mode collapse.</source>
        <translation>每张图像的倒数第二层特征在类别质心两条主轴上的投影；十字为质心。聚得过紧表示模式坍塌。</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="98"/>
        <source>PC 1</source>
        <translation>PC 1</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="99"/>
        <source>PC 2</source>
        <translation>PC 2</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="104"/>
        <source>Choose a method and press Synthesize. The images, the loss and the per-layer BN divergence update while it runs.</source>
        <translation>选择方法并点击“合成”。运行时图像、损失和各层 BN 散度会实时更新。</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="130"/>
        <source>Save synthetic set as folder</source>
        <translation>将合成数据集保存为文件夹</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="230"/>
        <source>BN divergence of the current batch, step %1</source>
        <translation>当前批次的 BN 散度，第 %1 步</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="279"/>
        <source>%1: %2 image(s) of the current batch the teacher assigns to it at step %3</source>
        <translation>%1：第 %3 步时教师模型将当前批次中 %2 张图像分到此类</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="314"/>
        <source>PC 1 (%1 % of the %2 variance)</source>
        <translation>PC 1（占%2方差的 %1 %）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="315"/>
        <source>centroids&apos;</source>
        <translation>质心</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="315"/>
        <source>features&apos;</source>
        <translation>特征</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="316"/>
        <source>PC 2 (%1 %)</source>
        <translation>PC 2（%1 %）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="330"/>
        <source>BN divergence of the whole set (mean KL %1)</source>
        <translation>整个数据集的 BN 散度（平均 KL %1）</translation>
    </message>
    <message>
        <location filename="../ui/SynthesisPanel.cpp" line="334"/>
        <source>&lt;b&gt;%1 images by %2 in %3 s&lt;/b&gt; · mean BN KL %4 · mean-L2 %5 · intra-class diversity: features %6, pixels %7 · teacher: mean max-probability %8, entropy %9 nats&lt;br&gt;per class: %10</source>
        <translation>&lt;b&gt;%2 生成 %1 张图像，用时 %3 秒&lt;/b&gt; · 平均 BN KL %4 · 均值 L2 %5 · 类内多样性：特征 %6，像素 %7 · 教师模型：平均最大概率 %8，熵 %9 nats&lt;br&gt;各类别：%10</translation>
    </message>
</context>
</TS>
