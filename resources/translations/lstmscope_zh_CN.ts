<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionEquationView</name>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>How many keys to list, largest weight first</source>
        <translation>列出多少个键，按权重从大到小</translation>
    </message>
    <message>
        <source>, times a learned scale</source>
        <translation>，再乘以一个学习到的缩放系数</translation>
    </message>
    <message>
        <source>Type a text to see how attention is computed.</source>
        <translation>输入文本，查看注意力是如何计算的。</translation>
    </message>
    <message>
        <source>Open a model.</source>
        <translation>请打开一个模型。</translation>
    </message>
    <message>
        <source>This model has no attention.</source>
        <translation>该模型没有注意力。</translation>
    </message>
    <message>
        <source>Recording the attention scores…</source>
        <translation>正在记录注意力分数…</translation>
    </message>
    <message>
        <source>No attention to explain.</source>
        <translation>没有可解释的注意力。</translation>
    </message>
    <message>
        <source>No attention row to explain.</source>
        <translation>没有可解释的注意力行。</translation>
    </message>
    <message>
        <source>%1: attention pooling, one weight per token</source>
        <translation>%1：注意力池化，每个词元一个权重</translation>
    </message>
    <message>
        <source>%1: query %2 of %3 “%4”</source>
        <translation>%1：第 %2 个查询（共 %3 个）“%4”</translation>
    </message>
    <message>
        <source> · head %1 (the equation is per head; the heatmap shows their mean)</source>
        <translation> · 头 %1（公式按头计算；热力图显示各头平均）</translation>
    </message>
    <message>
        <source> · head %1</source>
        <translation> · 头 %1</translation>
    </message>
    <message>
        <source> · click a token to choose the query</source>
        <translation> · 点击一个词元以选择查询</translation>
    </message>
    <message>
        <source>score: %1</source>
        <translation>分数：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n later key(s) masked (causal): score −∞, weight 0</source>
        <translation>
            <numerusform>%n 个后续键被屏蔽（因果）：分数 −∞，权重 0</numerusform>
        </translation>
    </message>
    <message>
        <source>softmax: %1 = exp(sⱼ − max) / Σₖ exp(sₖ − max), max = %2, Σ = %3</source>
        <translation>softmax：%1 = exp(sⱼ − max) / Σₖ exp(sₖ − max)，max = %2，Σ = %3</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>score s</source>
        <translation>分数 s</translation>
    </message>
    <message>
        <source>exp(s − max)</source>
        <translation>exp(s − max)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more key(s) with weight %1 together</source>
        <translation>
            <numerusform>… 另有 %n 个键，权重合计 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>weighted sum: %1 = Σⱼ %2 vⱼ = %3%4</source>
        <translation>加权求和：%1 = Σⱼ %2 vⱼ = %3%4</translation>
    </message>
    <message>
        <source>v is the head&apos;s projected value; the heads are then joined and projected (out_proj)</source>
        <translation>v 是该头投影后的值；随后各头拼接并再做一次投影（out_proj）</translation>
    </message>
    <message>
        <source>Computing the attention…</source>
        <translation>正在计算注意力…</translation>
    </message>
    <message>
        <source>, w%1 = row %2 of context.weight</source>
        <translation>，w%1 = context.weight 的第 %2 行</translation>
    </message>
    <message>
        <source>hop </source>
        <translation>跳 </translation>
    </message>
    <message>
        <source>query </source>
        <translation>查询 </translation>
    </message>
    <message>
        <source> of %1</source>
        <translation>（共 %1）</translation>
    </message>
    <message>
        <source>Which hop to explain: each hop of the pool has its own weights over the tokens</source>
        <translation>要讲解哪一跳：池化的每一跳在词元上都有各自的权重</translation>
    </message>
    <message>
        <source>Which query row to explain</source>
        <translation>要讲解哪一个查询行</translation>
    </message>
    <message>
        <source>%1: attention pooling, hop %2 of %3 (each hop has its own weights over the tokens; the attention view shows them all)</source>
        <translation>%1：注意力池化，第 %2 跳（共 %3 跳；每一跳在词元上有各自的权重，注意力视图中可看到全部跳）</translation>
    </message>
    <message>
        <source>%1: query %2 of %3 (a query that is not a token of the text)</source>
        <translation>%1：第 %2 个查询（共 %3 个；该查询不是文本中的词元）</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>No&amp;de:</source>
        <translation>节点(&amp;D)：</translation>
    </message>
    <message>
        <source>Every attention, attention_pool and multihead_attention node of the model</source>
        <translation>模型中所有 attention、attention_pool 和 multihead_attention 节点</translation>
    </message>
    <message>
        <source>H&amp;ead:</source>
        <translation>头(&amp;E)：</translation>
    </message>
    <message>
        <source>Fit &amp;range to data</source>
        <translation>按数据调整范围(&amp;R)</translation>
    </message>
    <message>
        <source>Stretch the colour scale from the smallest to the largest weight shown, so that faint or near-uniform attention (long texts) shows its structure. Off: the fixed range 0 to 1, where a colour means the same weight for every text.</source>
        <translation>把色标拉伸到当前显示的最小权重至最大权重之间，使微弱或接近均匀的注意力（长文本）也能显出结构。关闭时使用固定范围 0 到 1，同一颜色在任何文本中都代表同一权重。</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Open a model to see the weights of its attention nodes.</source>
        <translation>打开一个模型，查看其注意力节点的权重。</translation>
    </message>
    <message>
        <source>This model has no attention node</source>
        <translation>该模型没有注意力节点</translation>
    </message>
    <message>
        <source>No text yet</source>
        <translation>尚无文本</translation>
    </message>
    <message>
        <source>Type a text to see the attention weights.</source>
        <translation>输入文本以查看注意力权重。</translation>
    </message>
    <message>
        <source>The model could not run on this text</source>
        <translation>模型无法在该文本上运行</translation>
    </message>
    <message numerus="yes">
        <source>%n tokens · attention_pool</source>
        <translation>
            <numerusform>%n 个词元 · attention_pool</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 × %2 · multihead_attention</source>
        <translation>%1 × %2 · multihead_attention</translation>
    </message>
    <message>
        <source>key token</source>
        <translation>键词元</translation>
    </message>
    <message>
        <source>query token</source>
        <translation>查询词元</translation>
    </message>
    <message>
        <source>%1 × %2 · %3</source>
        <translation>%1 × %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n heads</source>
        <translation>
            <numerusform>%1 · %n 个头</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2, %3 × %4</source>
        <translation>%1：%2，%3 × %4</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>average of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>all heads</source>
        <translation>全部头</translation>
    </message>
    <message>
        <source>attention weight (fitted)</source>
        <translation>注意力权重（按数据调整）</translation>
    </message>
    <message>
        <source>Not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>%1 is computed at a later step of the walk (now at step %2 of %3).</source>
        <translation>%1 在逐步演示的后续步骤中计算（当前为第 %2 步，共 %3 步）。</translation>
    </message>
    <message>
        <source>&amp;Whole text</source>
        <translation>全文(&amp;W)</translation>
    </message>
    <message>
        <source>Back to the summary of the whole text</source>
        <translation>回到全文概览</translation>
    </message>
    <message>
        <source>The text is long: %1 appears when its last row is computed.</source>
        <translation>文本较长：%1 在最后一行算完后显示。</translation>
    </message>
    <message>
        <source>No attention weights to show</source>
        <translation>没有可显示的注意力权重</translation>
    </message>
    <message>
        <source>%1 kept neither its weights nor a summary.</source>
        <translation>%1 既没有保留权重，也没有概览。</translation>
    </message>
    <message>
        <source>queries</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>keys</source>
        <translation>键</translation>
    </message>
    <message>
        <source>share</source>
        <translation>份额</translation>
    </message>
    <message>
        <source>Summary of a long text: its %1 × %2 weights are not kept in memory. Each cell covers up to %3 × %4 tokens and shows the share of attention the queries of its row give to the keys of its column (rows sum to 1). Click a cell to see its exact weights.</source>
        <translation>长文本概览：%1 × %2 个权重未保存在内存中。每格最多覆盖 %3 × %4 个词元，显示该行的查询分给该列的键的注意力份额（每行之和为 1）。点击格子查看精确权重。</translation>
    </message>
    <message>
        <source>Exact weights of queries %1–%2 and keys %3–%4 of %5, recomputed for this window (a row sums to 1 only over all keys). Selecting a token elsewhere moves the window.</source>
        <translation>查询 %1–%2 与键 %3–%4（共 %5）的精确权重，为此窗口重新计算（每行只有在全部键上才合计为 1）。在别处选择词元会移动窗口。</translation>
    </message>
    <message>
        <source>share of attention (fitted)</source>
        <translation>注意力份额（已拉伸）</translation>
    </message>
    <message>
        <source>Computing the attention…</source>
        <translation>正在计算注意力…</translation>
    </message>
    <message numerus="yes">
        <source>%n tokens: the attention takes a while on a text this long; the tokens and the LSTM are shown already.</source>
        <translation>
            <numerusform>%n 个词元：这么长的文本，注意力需要一些时间；词元和 LSTM 已经显示。</numerusform>
        </translation>
    </message>
    <message>
        <source>τ vs leave-one-out: over %1 tokens, not computed</source>
        <translation>τ（注意力对留一法）：超过 %1 个词元，未计算</translation>
    </message>
    <message>
        <source>τ vs leave-one-out: computing…</source>
        <translation>τ（注意力对留一法）：计算中…</translation>
    </message>
    <message>
        <source>τ vs leave-one-out: none</source>
        <translation>τ（注意力对留一法）：无</translation>
    </message>
    <message>
        <source>τ vs leave-one-out = %1</source>
        <translation>τ（注意力对留一法）= %1</translation>
    </message>
    <message>
        <source>τ vs leave-one-out: undefined</source>
        <translation>τ（注意力对留一法）：无定义</translation>
    </message>
    <message>
        <source>Attention weights appear here for models with an attention, attention_pool, multihead_attention or feature_attention node.</source>
        <translation>模型含有 attention、attention_pool、multihead_attention 或 feature_attention 节点时，这里显示注意力权重。</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>feature (each has its own weights over the tokens)</source>
        <translation>特征（每个特征在词元上有自己的权重）</translation>
    </message>
    <message numerus="yes">
        <source>one query × %n keys · %1</source>
        <translation>
            <numerusform>单个查询 × %n 个键 · %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1（共 %2）</translation>
    </message>
    <message>
        <source>hop</source>
        <translation>跳</translation>
    </message>
    <message>
        <source>hop (each its own weights over the tokens)</source>
        <translation>跳（每一跳在词元上有各自的权重）</translation>
    </message>
    <message numerus="yes">
        <source>%1 hops × %n tokens · attention_pool</source>
        <translation>
            <numerusform>%1 跳 × %n 个词元 · attention_pool</numerusform>
        </translation>
    </message>
    <message>
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>head (click to open it)</source>
        <translation>头（点击打开）</translation>
    </message>
    <message numerus="yes">
        <source>%1 heads × %n keys, one query · multihead_attention</source>
        <translation>
            <numerusform>%1 个头 × %n 个键，单个查询 · multihead_attention</numerusform>
        </translation>
    </message>
    <message>
        <source>Kendall&apos;s tau-b between the attention each token of this text receives from %1 (averaged over heads, query rows and a pool&apos;s hops) and its leave-one-out importance: how much the output moves (total variation distance) when the token is deleted. 1: attention ranks the tokens as deleting them does. Jain &amp; Wallace (2019) report about 0.27 to 0.32 for a BiLSTM with tanh attention (SST, IMDB). It costs one run of the model per token, so texts over %2 tokens are left out.</source>
        <translation>本文本每个词元从 %1 得到的注意力（对各头、各查询行以及池化的各跳取平均）与其留一法重要性之间的肯德尔 τ-b 相关系数。留一法重要性：删去该词元后输出变化多少（以总变差距离计）。为 1 表示注意力对词元的排序与删除它们的效果完全一致。已有研究报告，带 tanh 注意力的 BiLSTM 在两个常用情感数据集上约为 0.27 到 0.32。每个词元都要多运行一次模型，因此超过 %2 个词元的文本不计算。</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n hops</source>
        <translation>
            <numerusform>%1 · %n 跳</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CellDiagram</name>
    <message>
        <source>hard σ</source>
        <translation>硬 σ</translation>
    </message>
    <message>
        <source>h = 0 (start)</source>
        <translation>h = 0（初始）</translation>
    </message>
    <message>
        <source>x%1: layer %2 at “%3”</source>
        <translation>x%1：第 %2 层在“%3”处的输入</translation>
    </message>
    <message>
        <source>c = 0 (start)</source>
        <translation>c = 0（初始）</translation>
    </message>
    <message>
        <source>each gate: activation(input part W·x + recurrent part U·h + bias b)</source>
        <translation>每个门：激活函数(输入部分 W·x + 循环部分 U·h + 偏置 b)</translation>
    </message>
    <message>
        <source>The cell diagram is drawn for LSTMs. This is a GRU: two gates, reset r and update z, a candidate n and the state h, no cell state. Below, its equations with the values the engine recorded for this unit and token; a GRU&apos;s gates are not split into input part, recurrent part and bias, so each gate shows its value.</source>
        <translation>细胞示意图是为 LSTM 绘制的。这是一个 GRU：两个门（重置门 r 和更新门 z）、一个候选值 n 和状态 h，没有细胞状态。下面是它的公式，代入引擎为该单元和词元记录的数值；GRU 的门不拆分为输入部分、循环部分和偏置，因此每个门只给出其值。</translation>
    </message>
</context>
<context>
    <name>CellView</name>
    <message>
        <source>unit </source>
        <translation>单元 </translation>
    </message>
    <message>
        <source>The unit whose cell is drawn (also chosen by clicking a row of the gate heatmaps)</source>
        <translation>绘制其细胞的单元（也可点击门控热力图中的一行来选择）</translation>
    </message>
    <message>
        <source>Type a text to see the cell at work.</source>
        <translation>输入文本，查看细胞的运算过程。</translation>
    </message>
    <message>
        <source>Open a model.</source>
        <translation>请打开一个模型。</translation>
    </message>
    <message>
        <source>Recording the gate pre-activations…</source>
        <translation>正在记录门控的激活前值…</translation>
    </message>
    <message>
        <source>No cell to show.</source>
        <translation>没有可显示的细胞。</translation>
    </message>
    <message>
        <source>%1, layer %2 %3 · unit %4 · t = %5 of %6, token “%7”</source>
        <translation>%1，第 %2 层 %3 · 单元 %4 · t = %5（共 %6），词元“%7”</translation>
    </message>
    <message>
        <source>backward (t − 1 is the token on the right)</source>
        <translation>反向（t − 1 是右侧的词元）</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <source>This model has no LSTM or GRU.</source>
        <translation>该模型没有 LSTM 或 GRU。</translation>
    </message>
</context>
<context>
    <name>ColorMaps</name>
    <message>
        <source>viridis</source>
        <translation>viridis</translation>
    </message>
    <message>
        <source>magma</source>
        <translation>magma</translation>
    </message>
    <message>
        <source>cividis</source>
        <translation>cividis</translation>
    </message>
    <message>
        <source>diverging</source>
        <translation>发散型</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Looks inside LSTM and attention text models.</source>
        <translation>查看 LSTM 与注意力文本模型的内部。</translation>
    </message>
    <message>
        <source>The text to run the model on.</source>
        <translation>让模型运行的文本。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Render the window to a PNG file and exit.</source>
        <translation>将窗口渲染为 PNG 文件后退出。</translation>
    </message>
    <message>
        <source>file.png</source>
        <translation>文件.png</translation>
    </message>
    <message>
        <source>Window size for --screenshot (default 1600x1000).</source>
        <translation>--screenshot 的窗口尺寸（默认 1600x1000）。</translation>
    </message>
    <message>
        <source>WxH</source>
        <translation>宽x高</translation>
    </message>
    <message>
        <source>Compare with a second model on the same text.</source>
        <translation>在同一文本上与第二个模型对比。</translation>
    </message>
    <message>
        <source>B.json</source>
        <translation>B.json</translation>
    </message>
    <message>
        <source>Compare the model on two texts: this one is pinned as side B, --text is side A.</source>
        <translation>在两段文本上对比同一模型：此文本固定为 B 侧，--text 为 A 侧。</translation>
    </message>
    <message>
        <source>Compare mode: stack the panes instead of side by side.</source>
        <translation>对比模式：上下堆叠窗格，而不是左右并排。</translation>
    </message>
    <message>
        <source>Interface language: en or zh_CN (default: as chosen in View &gt; Language, else the system&apos;s).</source>
        <translation>界面语言：en 或 zh_CN（默认：“视图 &gt; 语言”中的选择，否则跟随系统）。</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>--size needs WIDTHxHEIGHT between 200x150 and 8000x8000, got &apos;%1&apos;</source>
        <translation>--size 需要介于 200x150 与 8000x8000 之间的 宽x高，实际为“%1”</translation>
    </message>
    <message>
        <source>--compare and --pin-text are two kinds of comparison; give one</source>
        <translation>--compare 与 --pin-text 是两种不同的对比方式，只能指定其一</translation>
    </message>
    <message>
        <source>Open a lesson (see File &gt; Lessons) and play its first scene.</source>
        <translation>打开一个课程（见“文件 &gt; 课程”）并播放第一个场景。</translation>
    </message>
    <message>
        <source>lesson.json</source>
        <translation>课程.json</translation>
    </message>
    <message>
        <source>With --lesson: start at this scene (from 1).</source>
        <translation>与 --lesson 一起使用：从该场景开始（从 1 起）。</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Start in presentation mode (View &gt; Present).</source>
        <translation>以演示模式启动（视图 &gt; 演示）。</translation>
    </message>
    <message>
        <source>Presentation scale, 1 to 2.5 (implies --present).</source>
        <translation>演示缩放倍数，1 到 2.5（隐含 --present）。</translation>
    </message>
    <message>
        <source>factor</source>
        <translation>倍数</translation>
    </message>
    <message>
        <source>--scene needs a scene number of the lesson, got &apos;%1&apos;</source>
        <translation>--scene 需要课程中的场景编号，实际为“%1”</translation>
    </message>
    <message>
        <source>--scale needs a number from 1 to 2.5, got &apos;%1&apos;</source>
        <translation>--scale 需要 1 到 2.5 之间的数，实际为“%1”</translation>
    </message>
    <message>
        <source>Open the corpus window (File &gt; Open dataset) on this dataset and run it; with --screenshot, the corpus window is rendered once the run is done.</source>
        <translation>在此数据集上打开语料窗口（文件 &gt; 打开数据集）并运行；与 --screenshot 一起使用时，运行结束后渲染语料窗口。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>With --dataset: also test the attention&apos;s faithfulness.</source>
        <translation>与 --dataset 一起使用：同时检验注意力的忠实度。</translation>
    </message>
    <message>
        <source>With --dataset: the page to show: saturation, patterns or faithfulness.</source>
        <translation>与 --dataset 一起使用：要显示的页面，saturation、patterns 或 faithfulness。</translation>
    </message>
    <message>
        <source>page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>With --dataset: select this unit in the saturation page (its top contexts).</source>
        <translation>与 --dataset 一起使用：在饱和度页面中选中该单元（列出其最强激活上下文）。</translation>
    </message>
    <message>
        <source>--corpus-page needs saturation, patterns or faithfulness, got &apos;%1&apos;</source>
        <translation>--corpus-page 需要 saturation、patterns 或 faithfulness，实际为“%1”</translation>
    </message>
    <message>
        <source>The model to open: a manifest (MODEL.json) or a Keras file (.h5, .keras); default: a bundled model.</source>
        <translation>要打开的模型：清单文件（MODEL.json）或 Keras 文件（.h5、.keras）；默认：一个自带模型。</translation>
    </message>
    <message>
        <source>A Keras model&apos;s vocabulary: its Tokenizer.to_json() file, or one token per line.</source>
        <translation>Keras 模型的词表：其 Tokenizer.to_json() 文件，或每行一个词元的文本文件。</translation>
    </message>
    <message>
        <source>How a vocabulary file splits text: word, char, whitespace, keras or keras_char.</source>
        <translation>词表文件如何切分文本：word、char、whitespace、keras 或 keras_char。</translation>
    </message>
    <message>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>A weights-only Keras file&apos;s model.to_json() or to_yaml() output.</source>
        <translation>仅含权重的 Keras 文件的 model.to_json() 或 to_yaml() 输出。</translation>
    </message>
    <message>
        <source>What a Keras model&apos;s custom layers compute (README, Custom Keras layers).</source>
        <translation>Keras 模型自定义层的计算方式（见 README “Custom Keras layers”）。</translation>
    </message>
    <message>
        <source>Pad a fixed-length Keras model&apos;s input: pre (default), post or none.</source>
        <translation>定长 Keras 模型输入的填充方式：pre（默认）、post 或 none。</translation>
    </message>
    <message>
        <source>side</source>
        <translation>填充方向</translation>
    </message>
</context>
<context>
    <name>CorpusJob</name>
    <message>
        <source>There is not enough memory for this corpus.</source>
        <translation>内存不足，无法处理该语料。</translation>
    </message>
</context>
<context>
    <name>CorpusTableModel</name>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>same</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau between the attention and the leave-one-out importance of this text&apos;s tokens</source>
        <translation>本文本各词元的注意力与留一法重要性之间的肯德尔 τ</translation>
    </message>
    <message>
        <source>The probability model A gives its prediction</source>
        <translation>模型 A 给其预测类别的概率</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Right?</source>
        <translation>正确？</translation>
    </message>
    <message>
        <source>τ</source>
        <translation>τ</translation>
    </message>
    <message>
        <source>B predicts</source>
        <translation>B 的预测</translation>
    </message>
    <message>
        <source>A vs B</source>
        <translation>A 与 B</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau-b between the attention each token receives and its leave-one-out importance (only with “Test attention faithfulness”)</source>
        <translation>每个词元得到的注意力与其留一法重要性之间的肯德尔 τ-b（仅在勾选“检验注意力忠实度”时计算）</translation>
    </message>
    <message>
        <source>Model B&apos;s prediction (compare mode)</source>
        <translation>模型 B 的预测（对比模式）</translation>
    </message>
    <message>
        <source>Whether model B predicts the same class as model A</source>
        <translation>模型 B 的预测类别是否与模型 A 相同</translation>
    </message>
</context>
<context>
    <name>CorpusTablePanel</name>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>right only</source>
        <translation>仅正确</translation>
    </message>
    <message>
        <source>wrong only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>unlabelled only</source>
        <translation>仅无标签</translation>
    </message>
    <message>
        <source>Kendall tau between attention and leave-one-out (runs with “Test attention faithfulness”); a narrower range hides the texts without one</source>
        <translation>注意力与留一法之间的肯德尔 τ（勾选“检验注意力忠实度”的运行才有）；收窄范围会隐藏没有 τ 的文本</translation>
    </message>
    <message>
        <source>A vs B:</source>
        <translation>A 与 B：</translation>
    </message>
    <message>
        <source>same prediction</source>
        <translation>预测相同</translation>
    </message>
    <message>
        <source>different prediction</source>
        <translation>预测不同</translation>
    </message>
    <message>
        <source>words in the text</source>
        <translation>文本中的词</translation>
    </message>
    <message>
        <source>Prediction:</source>
        <translation>预测：</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <source>Confidence:</source>
        <translation>置信度：</translation>
    </message>
    <message>
        <source>τ:</source>
        <translation>τ：</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n text(s) shown</source>
        <translation>
            <numerusform>显示 %1 / %n 段文本</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CorpusWindow</name>
    <message>
        <source>Corpus — lstmscope</source>
        <translation>语料 — lstmscope</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>%v of %m texts</source>
        <translation>%v / %m 段文本</translation>
    </message>
    <message>
        <source>Gate &amp;saturation</source>
        <translation>门控饱和度(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pattern search</source>
        <translation>模式搜索(&amp;P)</translation>
    </message>
    <message>
        <source>Open dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <source>Datasets (*.tsv *.csv *.jsonl *.ndjson *.txt);;All files (*)</source>
        <translation>数据集 (*.tsv *.csv *.jsonl *.ndjson *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Corpus: %1 — lstmscope</source>
        <translation>语料：%1 — lstmscope</translation>
    </message>
    <message>
        <source>Open a model in the main window first.</source>
        <translation>请先在主窗口中打开一个模型。</translation>
    </message>
    <message numerus="yes">
        <source>%n text(s)</source>
        <translation>
            <numerusform>%n 段文本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not run</source>
        <translation>
            <numerusform>%n 段无法运行</numerusform>
        </translation>
    </message>
    <message>
        <source>accuracy &lt;b&gt;%1&lt;/b&gt; (%2 of %3 right)</source>
        <translation>准确率 &lt;b&gt;%1&lt;/b&gt;（%3 段中 %2 段正确）</translation>
    </message>
    <message>
        <source>no labels: no accuracy</source>
        <translation>无标签：没有准确率</translation>
    </message>
    <message>
        <source>model B accuracy &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>模型 B 准确率 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>same prediction %1 (%2 of %3)</source>
        <translation>预测相同 %1（%3 段中 %2 段）</translation>
    </message>
    <message>
        <source>only A right %1, only B right %2, McNemar p = %3</source>
        <translation>仅 A 正确 %1，仅 B 正确 %2，McNemar 检验 p = %3</translation>
    </message>
    <message>
        <source>mean attention entropy %1 bits</source>
        <translation>平均注意力熵 %1 比特</translation>
    </message>
    <message>
        <source>Model A: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>模型 A：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source> · model B: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation> · 模型 B：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Choose a dataset and press Run. The main window stays usable while it runs.</source>
        <translation>选择数据集后点击“运行”。运行期间主窗口仍可使用。</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>正在读取数据集…</translation>
    </message>
    <message numerus="yes">
        <source>Running: %1 of %n text(s)…</source>
        <translation>
            <numerusform>正在运行：%1 / %n 段文本…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done: %n text(s) in %1 s. Click a text to open it in the main window.</source>
        <translation>
            <numerusform>完成：%n 段文本，用时 %1 秒。点击文本即可在主窗口中打开。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 of %n text(s): the table shows those; the summaries need a whole run.</source>
        <translation>
            <numerusform>已在 %1 / %n 段文本后取消：表格列出已完成的文本；汇总需要完整运行。</numerusform>
        </translation>
    </message>
    <message>
        <source>A&amp;ttention faithfulness</source>
        <translation>注意力忠实度(&amp;T)</translation>
    </message>
</context>
<context>
    <name>DatasetColumns</name>
    <message>
        <source>%1: cannot be read</source>
        <translation>%1：无法读取</translation>
    </message>
</context>
<context>
    <name>DatasetOptions</name>
    <message>
        <source>a .txt (one text per line), .tsv, .csv or .jsonl file</source>
        <translation>.txt（每行一段文本）、.tsv、.csv 或 .jsonl 文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>by extension</source>
        <translation>按扩展名</translation>
    </message>
    <message>
        <source>one text per line</source>
        <translation>每行一段文本</translation>
    </message>
    <message>
        <source>TSV</source>
        <translation>TSV</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <source>first row names the columns</source>
        <translation>首行为列名</translation>
    </message>
    <message>
        <source>Test attention &amp;faithfulness</source>
        <translation>检验注意力忠实度(&amp;F)</translation>
    </message>
    <message>
        <source>Per text also: each token&apos;s leave-one-out importance, Kendall&apos;s tau between it and the attention, the output under uniform and permuted attention, and erasure. About one run of the model per token.</source>
        <translation>对每段文本另外计算：每个词元的留一法重要性、它与注意力之间的肯德尔 τ、均匀注意力和打乱注意力下的输出，以及擦除检验。每个词元约多运行一次模型。</translation>
    </message>
    <message>
        <source>Random permutations of the attention per text</source>
        <translation>每段文本对注意力做随机置换的次数</translation>
    </message>
    <message>
        <source>&amp;Dataset:</source>
        <translation>数据集(&amp;D)：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Text column:</source>
        <translation>文本列：</translation>
    </message>
    <message>
        <source>Label column:</source>
        <translation>标签列：</translation>
    </message>
    <message>
        <source>Permutations:</source>
        <translation>置换次数：</translation>
    </message>
    <message>
        <source>(no labels)</source>
        <translation>（无标签）</translation>
    </message>
    <message>
        <source>Choose a dataset file.</source>
        <translation>请选择数据集文件。</translation>
    </message>
    <message>
        <source>Choose the text column.</source>
        <translation>请选择文本列。</translation>
    </message>
    <message>
        <source>No column is called “text”: check the text column.</source>
        <translation>没有名为“text”的列：请确认文本列。</translation>
    </message>
</context>
<context>
    <name>DifferenceView</name>
    <message>
        <source>The attention distribution of this side: pooling weights, or the attention row of the selected token (heads averaged unless that pane shows one head)</source>
        <translation>这一侧的注意力分布：池化权重，或所选词元的注意力行（除非该窗格只显示一个头，否则取各头平均）</translation>
    </message>
    <message>
        <source>A:</source>
        <translation>A：</translation>
    </message>
    <message>
        <source>B:</source>
        <translation>B：</translation>
    </message>
    <message>
        <source>Over the aligned tokens (words and their characters, or the words of two texts):
Jensen-Shannon divergence in bits (0 same, 1 disjoint),
Kendall&apos;s tau-b of the two rankings (1 same order, −1 reversed),
how many of A&apos;s three most attended items are among B&apos;s three.</source>
        <translation>基于对齐后的词元（词及其字符，或两段文本的词）：
JS（詹森-香农）散度，单位为比特（0 表示相同，1 表示完全不重叠），
两个排序的肯德尔 τ-b 系数（1 表示顺序相同，−1 表示完全相反），
A 中注意力最高的三项有几项也在 B 的前三项中。</translation>
    </message>
    <message>
        <source>side</source>
        <translation>侧</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>A − B</source>
        <translation>A − B</translation>
    </message>
    <message>
        <source>Attention over the text</source>
        <translation>文本上的注意力</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>weight A − B</source>
        <translation>权重 A − B</translation>
    </message>
    <message>
        <source>key token</source>
        <translation>键词元</translation>
    </message>
    <message>
        <source>query token</source>
        <translation>查询词元</translation>
    </message>
    <message>
        <source>Attention matrix A − B</source>
        <translation>注意力矩阵 A − B</translation>
    </message>
    <message>
        <source>The quantity of the selected unit plotted for both texts</source>
        <translation>为两段文本绘制的所选单元的量</translation>
    </message>
    <message>
        <source>Selected unit:</source>
        <translation>所选单元：</translation>
    </message>
    <message>
        <source>Same unit, two texts</source>
        <translation>同一单元，两段文本</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>B − A</source>
        <translation>B − A</translation>
    </message>
    <message>
        <source>%1 · pooling weights</source>
        <translation>%1 · 池化权重</translation>
    </message>
    <message>
        <source>%1 · row of the selected token</source>
        <translation>%1 · 所选词元所在行</translation>
    </message>
    <message>
        <source>Pane %1 has no trace yet.</source>
        <translation>窗格 %1 还没有追踪记录。</translation>
    </message>
    <message>
        <source>Model %1 has no attention node.</source>
        <translation>模型 %1 没有注意力节点。</translation>
    </message>
    <message>
        <source>%1&apos;s weights are not one per token.</source>
        <translation>%1 的权重不是每个词元一个。</translation>
    </message>
    <message>
        <source>Click a token to compare what it attends to in A and in B.</source>
        <translation>点击一个词元，对比它在 A 和 B 中关注的内容。</translation>
    </message>
    <message>
        <source>The selected token has no attention row in %1.</source>
        <translation>所选词元在 %1 中没有注意力行。</translation>
    </message>
    <message>
        <source>Open a second model (File &gt; Compare with model) or pin the text (Ctrl+P).</source>
        <translation>打开第二个模型（文件 &gt; 与模型对比），或固定文本（Ctrl+P）。</translation>
    </message>
    <message>
        <source>Both models need an attention node to compare attention.</source>
        <translation>两个模型都需要注意力节点才能对比注意力。</translation>
    </message>
    <message>
        <source>JS divergence %1 bits · Kendall τ %2 · top-3 overlap %3/%4</source>
        <translation>JS 散度 %1 比特 · 肯德尔 τ %2 · 前三重合 %3/%4</translation>
    </message>
    <message>
        <source>Predictions not compared: %1.</source>
        <translation>未对比预测：%1。</translation>
    </message>
    <message>
        <source>Same decision.</source>
        <translation>判定相同。</translation>
    </message>
    <message>
        <source>Different decisions: A says %1, B says %2.</source>
        <translation>判定不同：A 为 %1，B 为 %2。</translation>
    </message>
    <message>
        <source>Both panes need a trace.</source>
        <translation>两个窗格都需要追踪记录。</translation>
    </message>
    <message>
        <source>The two sides tokenise differently, so their matrices have no common cells: compare the attention over the text instead, aligned by characters.</source>
        <translation>两侧的分词方式不同，矩阵没有共同的单元格：请改为对比按字符对齐的“文本上的注意力”。</translation>
    </message>
    <message>
        <source>Both models need a self-attention or multi-head attention node for a matrix difference.</source>
        <translation>两个模型都需要自注意力或多头注意力节点，才能计算矩阵之差。</translation>
    </message>
    <message>
        <source>The two matrices differ in shape.</source>
        <translation>两个矩阵的形状不同。</translation>
    </message>
    <message>
        <source> (head average)</source>
        <translation>（各头平均）</translation>
    </message>
    <message>
        <source> (head %1)</source>
        <translation>（头 %1）</translation>
    </message>
    <message>
        <source>A: %1 minus B: %2; colours symmetric over ±%3.</source>
        <translation>A：%1 减 B：%2；颜色在 ±%3 范围内对称。</translation>
    </message>
    <message>
        <source>Pin a text (Ctrl+P) to see the same unit on two texts.</source>
        <translation>固定一段文本（Ctrl+P），查看同一单元在两段文本上的取值。</translation>
    </message>
    <message>
        <source>Both texts need a trace.</source>
        <translation>两段文本都需要追踪记录。</translation>
    </message>
    <message>
        <source>Pick a unit: click a row of a gates heatmap.</source>
        <translation>选择一个单元：点击门控热力图中的一行。</translation>
    </message>
    <message>
        <source>unit %1 · %2</source>
        <translation>单元 %1 · %2</translation>
    </message>
    <message>
        <source>A: main text</source>
        <translation>A：主文本</translation>
    </message>
    <message>
        <source>B: pinned text</source>
        <translation>B：固定文本</translation>
    </message>
    <message>
        <source>The text is too long for an exact difference heatmap (its weights are not kept); compare single rows in the strips above, or shorten the text.</source>
        <translation>文本太长，无法给出精确的差值热图（权重未保存）；请在上方条带中比较单行，或缩短文本。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>This model has no LSTM or GRU.</source>
        <translation>该模型没有 LSTM 或 GRU。</translation>
    </message>
    <message numerus="yes">
        <source>%1 · pooling weights, mean of %n hops</source>
        <translation>
            <numerusform>%1 · 池化权重，%n 跳的平均</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · weights of its one query</source>
        <translation>%1 · 其唯一查询的权重</translation>
    </message>
    <message numerus="yes">
        <source>%1 · mean of its %n query rows</source>
        <translation>
            <numerusform>%1 · 其 %n 个查询行的平均</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>%1: cannot load the model: %2</source>
        <translation>%1：无法加载模型：%2</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>text: the text has no tokens (it is empty or only white space)</source>
        <translation>文本：没有任何词元（文本为空或只有空白）</translation>
    </message>
    <message numerus="yes">
        <source>text: every token of the text is unknown to the vocabulary and was dropped (%n dropped)</source>
        <translation>
            <numerusform>文本：所有词元都不在词表中，已全部丢弃（丢弃 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>text: %1 tokens is more than the limit of %2 tokens per run</source>
        <translation>文本：%1 个词元超过了单次运行 %2 个词元的上限</translation>
    </message>
    <message>
        <source>text: out of memory while running the model on this text</source>
        <translation>文本：在该文本上运行模型时内存不足</translation>
    </message>
    <message>
        <source>internal error: %1</source>
        <translation>内部错误：%1</translation>
    </message>
</context>
<context>
    <name>FaithfulnessPanel</name>
    <message>
        <source>&lt;b&gt;Erasure curve&lt;/b&gt; (Serrano &amp;amp; Smith 2019): the tokens zeroed in the attention, most attended first, until the decision flips</source>
        <translation>&lt;b&gt;擦除曲线&lt;/b&gt;（Serrano &amp;amp; Smith 2019）：按注意力从高到低把词元的注意力权重置零，直到决策翻转</translation>
    </message>
    <message>
        <source>Run the corpus with “Test attention faithfulness” ticked to see these tests.</source>
        <translation>勾选“检验注意力忠实度”后运行语料，即可看到这些检验。</translation>
    </message>
    <message>
        <source>This model has no attention to test.</source>
        <translation>该模型没有可检验的注意力。</translation>
    </message>
    <message>
        <source>Tick “Test attention faithfulness” and run again: the tests cost about one run of the model per token of each text.</source>
        <translation>勾选“检验注意力忠实度”后重新运行：这些检验对每段文本的每个词元约多运行一次模型。</translation>
    </message>
    <message>
        <source>IMDB: %1 to %2</source>
        <translation>IMDB：%1 到 %2</translation>
    </message>
    <message>
        <source>mean %1</source>
        <translation>均值 %1</translation>
    </message>
    <message>
        <source>Kendall τ: attention (%1) vs leave-one-out importance</source>
        <translation>肯德尔 τ：注意力（%1）对留一法重要性</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>文本数</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Kendall τ&lt;/b&gt; between the attention each token receives (node “%1”) and its leave-one-out importance (how much the output moves, in total variation distance, when the token is deleted), one τ per text: mean &lt;b&gt;%2&lt;/b&gt; (95% interval %3 to %4) over %n text(s), %5 undefined (one token or constant). Shaded: the τ Jain &amp;amp; Wallace (2019) report in their released results for a BiLSTM with tanh attention, %6 to %7 on SST and %8 to %9 on IMDB.</source>
        <translation>
            <numerusform>每个词元得到的注意力（节点“%1”）与其留一法重要性（删去该词元后输出变化多少，以总变差距离计）之间的&lt;b&gt;肯德尔 τ&lt;/b&gt;，每段文本一个 τ：%n 段文本的均值为 &lt;b&gt;%2&lt;/b&gt;（95% 区间 %3 到 %4），%5 段无定义（只有一个词元或取值恒定）。阴影：Jain &amp;amp; Wallace（2019）公开结果中带 tanh 注意力的 BiLSTM 的 τ，SST 上 %6 到 %7，IMDB 上 %8 到 %9。</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Uniform attention&lt;/b&gt;: mean output change (TVD) %1; the decision flips in %2% of texts (%3 of %4).</source>
        <translation>&lt;b&gt;均匀注意力&lt;/b&gt;：输出平均变化（总变差距离）%1；%2% 的文本决策翻转（%4 段中 %3 段）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Permuted attention&lt;/b&gt; (%1 random permutations per text): mean of each text&apos;s median TVD %2; the decision flips in %3% of the %4 runs.</source>
        <translation>&lt;b&gt;打乱注意力&lt;/b&gt;（每段文本随机置换 %1 次）：各文本总变差距离中位数的均值 %2；%4 次运行中 %3% 决策翻转。</translation>
    </message>
    <message>
        <source>&lt;b&gt;One weight zeroed&lt;/b&gt;: the most attended token&apos;s, mean JS divergence %1, flips %2%; a random token&apos;s, %3, flips %4%.</source>
        <translation>&lt;b&gt;置零一个权重&lt;/b&gt;：注意力最高的词元，平均 JS 散度 %1，翻转 %2%；随机词元，%3，翻转 %4%。</translation>
    </message>
    <message>
        <source>No text had two tokens or more.</source>
        <translation>没有文本包含两个或更多词元。</translation>
    </message>
    <message>
        <source>fraction of the text&apos;s tokens zeroed, most attended first</source>
        <translation>置零的词元占比（注意力最高者优先）</translation>
    </message>
    <message>
        <source>texts whose decision flipped</source>
        <translation>决策已翻转的文本占比</translation>
    </message>
    <message>
        <source>Flipped: %1 of %2 texts, after zeroing on average %3 of their tokens. &lt;b&gt;Never flipped: %4&lt;/b&gt; (the decision held until one token was left).</source>
        <translation>已翻转：%2 段中 %1 段，平均置零其 %3 的词元。&lt;b&gt;从未翻转：%4&lt;/b&gt;（直到只剩一个词元，决策仍未改变）。</translation>
    </message>
    <message>
        <source>SST: %1 to %2</source>
        <translation>SST：%1 到 %2</translation>
    </message>
    <message>
        <source>Jain &amp; Wallace 2019,
BiLSTM + tanh attention:</source>
        <translation>Jain &amp; Wallace 2019，
BiLSTM + tanh 注意力：</translation>
    </message>
    <message numerus="yes">
        <source>%n text(s) over %1 tokens were not tested (one run of the model per token).</source>
        <translation>
            <numerusform>%n 段超过 %1 个词元的文本未检验（每个词元要运行一次模型）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GatesView</name>
    <message>
        <source>i: input gate</source>
        <translation>i 输入门</translation>
    </message>
    <message>
        <source>f: forget gate</source>
        <translation>f 遗忘门</translation>
    </message>
    <message>
        <source>g: cell candidate</source>
        <translation>g 候选值</translation>
    </message>
    <message>
        <source>o: output gate</source>
        <translation>o 输出门</translation>
    </message>
    <message>
        <source>c: cell state</source>
        <translation>c 细胞状态</translation>
    </message>
    <message>
        <source>h: hidden state</source>
        <translation>h 隐藏状态</translation>
    </message>
    <message>
        <source>How much of the cell candidate g enters the cell at this token.
Sigmoid, 0 (shut) to 1 (open); colours fixed over [0, 1].</source>
        <translation>在该词元处，候选记忆 g 有多少写入细胞状态。
Sigmoid，0（关闭）到 1（打开）；颜色固定在 [0, 1]。</translation>
    </message>
    <message>
        <source>How much of the previous cell state is kept at this token.
Sigmoid, 0 (forget) to 1 (keep); colours fixed over [0, 1].</source>
        <translation>在该词元处，上一时间步的细胞状态保留多少。
Sigmoid，0（遗忘）到 1（保留）；颜色固定在 [0, 1]。</translation>
    </message>
    <message>
        <source>The new content offered to the cell at this token.
tanh, -1 to 1; diverging colours fixed over [-1, 1], white at 0.</source>
        <translation>在该词元处提供给细胞状态的新内容。
tanh，-1 到 1；发散型颜色固定在 [-1, 1]，0 为白色。</translation>
    </message>
    <message>
        <source>How much of tanh(c) is exposed as the hidden state h.
Sigmoid, 0 (hidden) to 1 (exposed); colours fixed over [0, 1].</source>
        <translation>tanh(c) 有多少作为隐藏状态 h 输出。
Sigmoid，0（不输出）到 1（完全输出）；颜色固定在 [0, 1]。</translation>
    </message>
    <message>
        <source>The LSTM&apos;s memory: c = f·c(previous) + i·g. Unbounded.
Diverging colours over a symmetric range fixed for this node: the smallest of ±1, ±2, ±3, ±5 that covers every |c| the node has shown since the model was loaded. It never shrinks, so colours compare across texts; values beyond ±5 clip to the end colours (the tooltip shows the exact value).</source>
        <translation>LSTM 的记忆：c = f·c(上一步) + i·g。没有上下界。
发散型颜色，对称范围对该节点固定：取 ±1、±2、±3、±5 中能覆盖模型加载以来该节点出现过的所有 |c| 的最小者。范围只增不减，因此颜色可在不同文本间比较；超出 ±5 的值按端点颜色显示（提示框中给出精确值）。</translation>
    </message>
    <message>
        <source>What the layer outputs: h = o·tanh(c).
-1 to 1; diverging colours fixed over [-1, 1], white at 0.</source>
        <translation>该层的输出：h = o·tanh(c)。
-1 到 1；发散型颜色固定在 [-1, 1]，0 为白色。</translation>
    </message>
    <message>
        <source>La&amp;yer</source>
        <translation>层(&amp;Y)</translation>
    </message>
    <message>
        <source>Layer 0 reads the embeddings; the last layer feeds the rest of the model</source>
        <translation>第 0 层读取嵌入；最后一层输出给模型的其余部分</translation>
    </message>
    <message>
        <source>&amp;Direction</source>
        <translation>方向(&amp;D)</translation>
    </message>
    <message>
        <source>Forward reads the text left to right, backward right to left; values always sit at their token</source>
        <translation>前向从左到右读取文本，反向从右到左；数值始终标在各自的词元处</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>反向</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · double-click: reset
Click a cell to select its token and unit; click a label to select just one</source>
        <translation>滚轮：缩放 · 拖动：平移 · 双击：复位
点击单元格选择其词元和单元；点击坐标标签只选择其中之一</translation>
    </message>
    <message>
        <source>&amp;Sort units</source>
        <translation>单元排序(&amp;S)</translation>
    </message>
    <message>
        <source>by index</source>
        <translation>按编号</translation>
    </message>
    <message>
        <source>by variance of h</source>
        <translation>按 h 的方差</translation>
    </message>
    <message>
        <source>by saturation</source>
        <translation>按饱和度</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>unit %1</source>
        <translation>单元 %1</translation>
    </message>
    <message>
        <source>fixed for this node</source>
        <translation>对该节点固定</translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n 个单元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>each drawn cell: mean of %1 tokens × %2 units (zoom in for single ones)</source>
        <translation>每个绘出的格子：%1 个词元 × %2 个单元的均值（放大可看单个）</translation>
    </message>
    <message numerus="yes">
        <source>each drawn column: mean of %n tokens (zoom in for single ones)</source>
        <translation>
            <numerusform>每个绘出的列：%n 个词元的均值（放大可看单个）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>each drawn row: mean of %n units (zoom in for single ones)</source>
        <translation>
            <numerusform>每个绘出的行：%n 个单元的均值（放大可看单个）</numerusform>
        </translation>
    </message>
    <message>
        <source>r: reset gate</source>
        <translation>r 重置门</translation>
    </message>
    <message>
        <source>z: update gate</source>
        <translation>z 更新门</translation>
    </message>
    <message>
        <source>n: candidate</source>
        <translation>n 候选值</translation>
    </message>
    <message>
        <source>How much of the previous state h enters the candidate n at this token.
Sigmoid, 0 (ignore the past) to 1 (use it); colours fixed over [0, 1].</source>
        <translation>在该词元处，上一步的状态 h 有多少进入候选值 n。
Sigmoid，0（忽略过去）到 1（使用过去）；颜色固定在 [0, 1]。</translation>
    </message>
    <message>
        <source>The share of the previous state h that is kept at this token: h = (1 − z)·n + z·h(previous).
Sigmoid, 0 (take the candidate n) to 1 (keep the old state); colours fixed over [0, 1].</source>
        <translation>在该词元处，上一步的状态 h 保留的比例：h = (1 − z)·n + z·h(上一步)。
Sigmoid，0（采用候选值 n）到 1（保留旧状态）；颜色固定在 [0, 1]。</translation>
    </message>
    <message>
        <source>The new state offered at this token: n = tanh(W·x + r·(U·h(previous) + b)).
tanh, -1 to 1; diverging colours fixed over [-1, 1], white at 0.</source>
        <translation>在该词元处提供的新状态：n = tanh(W·x + r·(U·h(上一步) + b))。
tanh，-1 到 1；发散型颜色固定在 [-1, 1]，0 为白色。</translation>
    </message>
    <message>
        <source>What the layer outputs and carries to the next token: h = (1 − z)·n + z·h(previous).
-1 to 1; diverging colours fixed over [-1, 1], white at 0.</source>
        <translation>该层的输出，也是传给下一个词元的状态：h = (1 − z)·n + z·h(上一步)。
-1 到 1；发散型颜色固定在 [-1, 1]，0 为白色。</translation>
    </message>
    <message>
        <source>The recurrent layer (an LSTM or GRU node) whose gates are shown</source>
        <translation>显示其门控的循环层（LSTM 或 GRU 节点）</translation>
    </message>
    <message>
        <source>By index: unit 0 first.
By variance: units whose hidden state h varies most over the text first.
By saturation: units most often at a rail first, counting over i, f, o and h (a GRU: r, z and h) the tokens where a gate is below 0.1 or above 0.9, or |h| is above 0.9.</source>
        <translation>按编号：单元 0 在前。
按方差：隐藏状态 h 在文本上变化最大的单元在前。
按饱和度：最常处于饱和的单元在前，统计 i、f、o 和 h（GRU 为 r、z 和 h）中门值低于 0.1 或高于 0.9、或 |h| 高于 0.9 的词元。</translation>
    </message>
    <message>
        <source>This layer reads in one direction only</source>
        <translation>该层只按一个方向读取</translation>
    </message>
    <message>
        <source>Open a model to see its LSTM or GRU gates.</source>
        <translation>打开一个模型以查看其 LSTM 或 GRU 门控。</translation>
    </message>
    <message>
        <source>This model has no recurrent layer (LSTM or GRU), so there are no gates to show.</source>
        <translation>该模型没有循环层（LSTM 或 GRU），因此没有可显示的门控。</translation>
    </message>
    <message>
        <source>Type a text to see the gates at each of its tokens.</source>
        <translation>输入文本，查看每个词元处的门控。</translation>
    </message>
    <message>
        <source>The recurrent layer recorded no gates for this text.</source>
        <translation>循环层没有为该文本记录门控。</translation>
    </message>
    <message>
        <source>&amp;LSTM</source>
        <translation>&amp;LSTM</translation>
    </message>
    <message>
        <source>&amp;GRU</source>
        <translation>&amp;GRU</translation>
    </message>
</context>
<context>
    <name>HeadGrid</name>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Click a head to open it.</source>
        <translation>点击一个头以打开它。</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>Open head %1</source>
        <translation>打开头 %1</translation>
    </message>
    <message>
        <source>head %1 (selected)</source>
        <translation>头 %1（已选）</translation>
    </message>
</context>
<context>
    <name>HeatmapPlot</name>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
</context>
<context>
    <name>LeaveOneOut</name>
    <message>
        <source>The model has no attention node to test.</source>
        <translation>该模型没有可检验的注意力节点。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Example texts chosen to show something about this model</source>
        <translation>为展示该模型特点而挑选的示例文本</translation>
    </message>
    <message>
        <source>Type or paste text here; the model re-runs as you type.</source>
        <translation>在此输入或粘贴文本；模型会随输入实时重新运行。</translation>
    </message>
    <message>
        <source>Not opened: %1</source>
        <translation>未打开：%1</translation>
    </message>
    <message>
        <source>Cannot open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Cannot open the model to compare with</source>
        <translation>无法打开用于对比的模型</translation>
    </message>
    <message>
        <source>Cannot pin the text</source>
        <translation>无法固定文本</translation>
    </message>
    <message>
        <source>This model has no example texts</source>
        <translation>该模型没有示例文本</translation>
    </message>
    <message>
        <source>Example texts…</source>
        <translation>示例文本…</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 对比 %2</translation>
    </message>
    <message>
        <source>%1, two texts</source>
        <translation>%1，两段文本</translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>engine %1 ms</source>
        <translation>引擎 %1 毫秒</translation>
    </message>
    <message>
        <source>Open a model with File &gt; Open model (Ctrl+O) or drop a .json file here.</source>
        <translation>通过“文件 &gt; 打开模型”（Ctrl+O）打开模型，或将 .json 文件拖放到这里。</translation>
    </message>
    <message>
        <source>Compare with model</source>
        <translation>与模型对比</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出%1</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported %1 to %2</source>
        <translation>已将%1导出到 %2</translation>
    </message>
    <message>
        <source>No trace</source>
        <translation>没有追踪记录</translation>
    </message>
    <message>
        <source>There is no trace to save yet: open a model and type a text.</source>
        <translation>还没有可保存的追踪记录：请打开模型并输入文本。</translation>
    </message>
    <message>
        <source>Save trace as CSV</source>
        <translation>将追踪记录保存为 CSV</translation>
    </message>
    <message>
        <source>Save trace as JSON</source>
        <translation>将追踪记录保存为 JSON</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Saved the traces to %1 and %2</source>
        <translation>已将追踪记录保存到 %1 和 %2</translation>
    </message>
    <message>
        <source>Saved the trace to %1</source>
        <translation>已将追踪记录保存到 %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Bundled models</source>
        <translation>内置模型(&amp;B)</translation>
    </message>
    <message>
        <source>Compare &amp;with model…</source>
        <translation>与模型对比(&amp;W)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open a second model beside this one, on the same text</source>
        <translation>在当前模型旁打开第二个模型，使用同一文本</translation>
    </message>
    <message>
        <source>Compare with b&amp;undled model</source>
        <translation>与内置模型对比(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Pin text</source>
        <translation>固定文本(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <source>Freeze the current text as side B of the same model, then edit the main text (a minimal pair: what does one word change?)</source>
        <translation>将当前文本冻结为同一模型的 B 侧，然后编辑主文本（最小对比对：改一个词会带来什么变化？）</translation>
    </message>
    <message>
        <source>C&amp;lose comparison</source>
        <translation>关闭对比(&amp;L)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+W</source>
        <translation>Ctrl+Shift+W</translation>
    </message>
    <message>
        <source>&amp;Export view…</source>
        <translation>导出视图(&amp;E)…</translation>
    </message>
    <message>
        <source>view</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>The view that has the keyboard focus, as PNG, SVG or PDF</source>
        <translation>导出拥有键盘焦点的视图，格式为 PNG、SVG 或 PDF</translation>
    </message>
    <message>
        <source>Export &amp;window…</source>
        <translation>导出窗口(&amp;W)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Save trace as &amp;JSON…</source>
        <translation>将追踪记录保存为 &amp;JSON…</translation>
    </message>
    <message>
        <source>Save trace as &amp;CSV…</source>
        <translation>将追踪记录保存为 &amp;CSV…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Colour map</source>
        <translation>色图(&amp;C)</translation>
    </message>
    <message>
        <source>Compare &amp;layout</source>
        <translation>对比布局(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Side by side</source>
        <translation>左右并排(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;tacked</source>
        <translation>上下堆叠(&amp;T)</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>语言(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard and mouse</source>
        <translation>键盘与鼠标(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard and mouse</source>
        <translation>键盘与鼠标</translation>
    </message>
    <message>
        <source>&amp;About lstmscope</source>
        <translation>关于 lstmscope(&amp;A)</translation>
    </message>
    <message>
        <source>About lstmscope</source>
        <translation>关于 lstmscope</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>Cannot open the lesson</source>
        <translation>无法打开课程</translation>
    </message>
    <message>
        <source>Save scene to lesson</source>
        <translation>将场景保存到课程</translation>
    </message>
    <message>
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <source>Cannot add to the lesson</source>
        <translation>无法添加到课程</translation>
    </message>
    <message>
        <source>Cannot save the lesson</source>
        <translation>无法保存课程</translation>
    </message>
    <message>
        <source>Scene %1 saved to %2</source>
        <translation>场景 %1 已保存到 %2</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Open lesson…</source>
        <translation>打开课程(&amp;O)…</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>&amp;Save scene to lesson…</source>
        <translation>将场景保存到课程(&amp;S)…</translation>
    </message>
    <message>
        <source>Append the current model, text, views, selection and step to a lesson file</source>
        <translation>把当前的模型、文本、视图、选择和步骤作为一个场景追加到课程文件</translation>
    </message>
    <message>
        <source>&amp;Close lesson</source>
        <translation>关闭课程(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Present</source>
        <translation>演示(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen, larger type, keyboard only: Space next step, Page Down next scene, Esc leaves</source>
        <translation>全屏、大字号、仅用键盘：空格 下一步，Page Down 下一场景，Esc 退出</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>逐步(&amp;S)</translation>
    </message>
    <message>
        <source>Engine &amp;threads</source>
        <translation>引擎线程(&amp;T)</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Every core (%n)</source>
        <translation>
            <numerusform>全部核心（%n 个）(&amp;E)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <source>Open &amp;dataset…</source>
        <translation>打开数据集(&amp;D)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <source>Run a whole dataset through the model: accuracy, the texts it gets wrong, gate saturation, pattern search and attention faithfulness</source>
        <translation>用模型运行整个数据集：准确率、判错的文本、门控饱和度、模式搜索与注意力忠实度</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Click&lt;/b&gt; a token (chip, heatmap cell or label, gate column) to select it in every view.&lt;br&gt;&lt;b&gt;Shift-click&lt;/b&gt; a second token to select the tokens between (the query of File &gt; Open dataset&apos;s pattern search).&lt;br&gt;&lt;b&gt;Click&lt;/b&gt; a unit row in a gate heatmap to plot that unit over time.&lt;br&gt;&lt;b&gt;Left/Right&lt;/b&gt; move the selected token, &lt;b&gt;Up/Down&lt;/b&gt; the unit (when a view has focus).&lt;br&gt;&lt;b&gt;Wheel&lt;/b&gt; zooms a heatmap, &lt;b&gt;drag&lt;/b&gt; pans it, &lt;b&gt;double-click&lt;/b&gt; resets it.&lt;br&gt;&lt;b&gt;Ctrl+Shift+O&lt;/b&gt; compares with a second model, &lt;b&gt;Ctrl+P&lt;/b&gt; pins the text to compare two texts; a selection in one pane selects the same characters in the other.&lt;br&gt;&lt;b&gt;Drop&lt;/b&gt; a model&apos;s .json file on the window to open it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;点击&lt;/b&gt;一个词元（词元块、热力图单元格或坐标标签、门控列），即可在所有视图中选中它。&lt;br&gt;&lt;b&gt;按住 Shift 点击&lt;/b&gt;第二个词元，选中两者之间的所有词元（“文件 &gt; 打开数据集”中模式搜索的查询）。&lt;br&gt;&lt;b&gt;点击&lt;/b&gt;门控热力图中的单元行，绘制该单元随时间步的变化。&lt;br&gt;&lt;b&gt;←/→&lt;/b&gt; 移动所选词元，&lt;b&gt;↑/↓&lt;/b&gt; 移动所选单元（视图获得焦点时）。&lt;br&gt;&lt;b&gt;滚轮&lt;/b&gt;缩放热力图，&lt;b&gt;拖动&lt;/b&gt;平移，&lt;b&gt;双击&lt;/b&gt;复位。&lt;br&gt;&lt;b&gt;Ctrl+Shift+O&lt;/b&gt; 与第二个模型对比，&lt;b&gt;Ctrl+P&lt;/b&gt; 固定文本以对比两段文本；在一个窗格中的选择会选中另一窗格中的相同字符。&lt;br&gt;将模型的 .json 文件&lt;b&gt;拖放&lt;/b&gt;到窗口上即可打开。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;lstmscope&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Looks inside LSTM, GRU and attention text models: tokens, attention weights and every gate of every recurrent layer, linked.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;lstmscope&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;查看 LSTM、GRU 与注意力文本模型的内部：词元、注意力权重，以及每个循环层的每个门控，彼此联动。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Vocabulary of %1</source>
        <translation>%1 的词表</translation>
    </message>
    <message>
        <source>Keras Tokenizer JSON or vocabulary, one token per line (*.json *.txt *.vocab);;All files (*)</source>
        <translation>Keras Tokenizer JSON 或每行一个词元的词表 (*.json *.txt *.vocab);;所有文件 (*)</translation>
    </message>
    <message>
        <source>word: words and punctuation</source>
        <translation>word：单词与标点</translation>
    </message>
    <message>
        <source>char: each character, spaces skipped</source>
        <translation>char：逐字符，跳过空格</translation>
    </message>
    <message>
        <source>keras: as Keras&apos; Tokenizer() (default filters)</source>
        <translation>keras：同 Keras 的 Tokenizer()（默认过滤字符）</translation>
    </message>
    <message>
        <source>keras_char: as Keras&apos; Tokenizer(char_level=True), spaces included</source>
        <translation>keras_char：同 Keras 的 Tokenizer(char_level=True)，包含空格</translation>
    </message>
    <message>
        <source>whitespace: split on spaces only</source>
        <translation>whitespace：仅按空白切分</translation>
    </message>
    <message>
        <source>How does this vocabulary split a text?</source>
        <translation>这个词表如何切分文本？</translation>
    </message>
    <message>
        <source>Architecture of %1 (it holds weights only)</source>
        <translation>%1 的结构（该文件只含权重）</translation>
    </message>
    <message>
        <source>Keras model.to_json() or model.to_yaml() (*.json *.yml *.yaml);;All files (*)</source>
        <translation>Keras model.to_json() 或 model.to_yaml() (*.json *.yml *.yaml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Models (*.json *.h5 *.hdf5 *.keras);;lstmscope models (*.json);;Keras models (*.h5 *.hdf5 *.keras);;All files (*)</source>
        <translation>模型 (*.json *.h5 *.hdf5 *.keras);;lstmscope 模型 (*.json);;Keras 模型 (*.h5 *.hdf5 *.keras);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ModelView</name>
    <message>
        <source>word</source>
        <translation>词级</translation>
    </message>
    <message>
        <source>character</source>
        <translation>字符级</translation>
    </message>
    <message>
        <source>whitespace</source>
        <translation>空白分隔</translation>
    </message>
    <message>
        <source>Keras</source>
        <translation>Keras</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>tagging</source>
        <translation>序列标注</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No model loaded.
Open one with File › Open model…</source>
        <translation>未加载模型。
请通过“文件 › 打开模型…”打开。</translation>
    </message>
    <message>
        <source>node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Output shape for the current text (T = number of tokens)</source>
        <translation>当前文本的输出形状（T = 词元数）</translation>
    </message>
    <message>
        <source>%1 into %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%1 tokenizer, %2 entries</source>
        <translation>
            <numerusform>%1分词器，%2 个词条</numerusform>
        </translation>
    </message>
    <message>
        <source>, unknown → %1</source>
        <translation>，未知词 → %1</translation>
    </message>
    <message>
        <source>, unknown words dropped</source>
        <translation>，丢弃未知词</translation>
    </message>
    <message>
        <source>, padded to %1 (%2)</source>
        <translation>，填充到 %1（%2）</translation>
    </message>
    <message>
        <source>pre</source>
        <translation>前置</translation>
    </message>
    <message>
        <source>post</source>
        <translation>后置</translation>
    </message>
    <message numerus="yes">
        <source>%1 parameters</source>
        <translation>
            <numerusform>%1 个参数</numerusform>
        </translation>
    </message>
    <message>
        <source>Select to show this node in the attention view</source>
        <translation>选中后在注意力视图中显示该节点</translation>
    </message>
    <message>
        <source>Select to show this node in the gates view</source>
        <translation>选中后在门控视图中显示该节点</translation>
    </message>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message numerus="yes">
        <source>%n layers</source>
        <translation>
            <numerusform>%n 层</numerusform>
        </translation>
    </message>
    <message>
        <source>bidirectional</source>
        <translation>双向</translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n 个单元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n heads</source>
        <translation>
            <numerusform>%n 个头</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>Keras characters</source>
        <translation>Keras 字符级</translation>
    </message>
    <message>
        <source>fastai</source>
        <translation>fastai</translation>
    </message>
</context>
<context>
    <name>PaneWidget</name>
    <message>
        <source>Text B: edit it to see what the change does</source>
        <translation>文本 B：编辑它，看看改动带来什么变化</translation>
    </message>
    <message>
        <source>Pane B&apos;s own text, compared with the main text on the same model</source>
        <translation>窗格 B 自己的文本，在同一模型上与主文本对比</translation>
    </message>
    <message>
        <source>Close B</source>
        <translation>关闭 B</translation>
    </message>
    <message>
        <source>Back to one model (File &gt; Close comparison)</source>
        <translation>回到单个模型（文件 &gt; 关闭对比）</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
</context>
<context>
    <name>PatternSearchPanel</name>
    <message>
        <source>When one token is selected: the span is this many tokens, ending at it</source>
        <translation>只选中一个词元时：片段为以它结尾的这么多个词元</translation>
    </message>
    <message>
        <source>A unit is on where its hidden state h is above this</source>
        <translation>单元的隐藏状态 h 高于此值即视为激活</translation>
    </message>
    <message>
        <source>Su&amp;ggest</source>
        <translation>建议(&amp;G)</translation>
    </message>
    <message>
        <source>The 80th percentile of every h over the selected span (as LSTMVis suggests)</source>
        <translation>所选片段上全部 h 值的第 80 百分位数（LSTMVis 的建议）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Match (highlighted)</source>
        <translation>匹配（高亮）</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Extra units</source>
        <translation>额外单元</translation>
    </message>
    <message>
        <source>Mean h</source>
        <translation>平均 h</translation>
    </message>
    <message>
        <source>Units beyond the query that are also on over the whole match: fewer is a more precise match</source>
        <translation>查询之外、在整个匹配上也处于激活的单元：越少匹配越精确</translation>
    </message>
    <message>
        <source>Span:</source>
        <translation>片段：</translation>
    </message>
    <message>
        <source>Tokens when one is selected:</source>
        <translation>只选一个词元时的长度：</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>阈值：</translation>
    </message>
    <message>
        <source>Run the corpus first: the search runs its texts again.</source>
        <translation>请先运行语料：搜索会重新运行其中的文本。</translation>
    </message>
    <message>
        <source>Open a text in the main window.</source>
        <translation>请在主窗口中打开一段文本。</translation>
    </message>
    <message>
        <source>The main window shows another model than the one this corpus ran: open %1 there.</source>
        <translation>主窗口显示的模型与本次语料运行的模型不同：请在主窗口中打开 %1。</translation>
    </message>
    <message>
        <source>Select tokens in the main window: click one, shift-click another.</source>
        <translation>请在主窗口中选择词元：点击一个，再按住 Shift 点击另一个。</translation>
    </message>
    <message>
        <source>, layer %1</source>
        <translation>，第 %1 层</translation>
    </message>
    <message>
        <source>, backward</source>
        <translation>，反向</translation>
    </message>
    <message>
        <source>, forward</source>
        <translation>，前向</translation>
    </message>
    <message>
        <source>“%1” (tokens %2 to %3) · states of %4</source>
        <translation>“%1”（词元 %2 到 %3）· %4 的状态</translation>
    </message>
    <message>
        <source>No unit stays above %1 over the whole span: lower the threshold or select fewer tokens.</source>
        <translation>没有单元在整个片段上都高于 %1：请降低阈值或少选一些词元。</translation>
    </message>
    <message numerus="yes">
        <source>The query: %n unit(s) above %1 at every token of the span: %2</source>
        <translation>
            <numerusform>查询：%n 个单元在片段的每个词元上都高于 %1：%2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Searching %n text(s)…</source>
        <translation>
            <numerusform>正在搜索 %n 段文本…</numerusform>
        </translation>
    </message>
    <message>
        <source>The search was cancelled.</source>
        <translation>搜索已取消。</translation>
    </message>
    <message>
        <source>No span of the corpus has all of these units on.</source>
        <translation>语料中没有任何片段让这些单元同时激活。</translation>
    </message>
    <message>
        <source>Searc&amp;h</source>
        <translation>搜索(&amp;H)</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es), best first</source>
        <translation>
            <numerusform>%n 处匹配，最佳者在前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, in %n text(s); click one to open it.</source>
        <translation>
            <numerusform>，分布在 %n 段文本中；点击即可打开。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select tokens in the main window (click one, shift-click another): the units of the LSTM or GRU layer the gates view shows that stay above the threshold over them are searched for across the corpus.</source>
        <translation>在主窗口中选择词元（点击一个，再按住 Shift 点击另一个）：门控视图所示 LSTM 或 GRU 层中在这些词元上始终高于阈值的单元，会在整个语料中搜索。</translation>
    </message>
    <message>
        <source>This model has no LSTM or GRU.</source>
        <translation>该模型没有 LSTM 或 GRU。</translation>
    </message>
</context>
<context>
    <name>PoolBarChart</name>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>uniform 1/%1</source>
        <translation>均匀 1/%1</translation>
    </message>
</context>
<context>
    <name>PredictionView</name>
    <message>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Type a text to see the prediction.</source>
        <translation>输入文本以查看预测。</translation>
    </message>
    <message>
        <source>No prediction: %1</source>
        <translation>无预测：%1</translation>
    </message>
    <message>
        <source>class probabilities</source>
        <translation>类别概率</translation>
    </message>
    <message>
        <source>output values</source>
        <translation>输出值</translation>
    </message>
    <message>
        <source>%1
predicted: %2</source>
        <translation>%1
预测：%2</translation>
    </message>
    <message>
        <source>predicted value</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>values per token</source>
        <translation>每个词元的值</translation>
    </message>
    <message>
        <source>predicted labels</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <source>output values per token</source>
        <translation>每个词元的输出值</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>值 %1</translation>
    </message>
    <message>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>characters %1–%2 · id %3</source>
        <translation>字符 %1–%2 · ID %3</translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>
predicted</source>
        <translation>
预测结果</translation>
    </message>
    <message>
        <source>The prediction appears at the last step (now at step %1 of %2).</source>
        <translation>预测在最后一步出现（当前为第 %1 步，共 %2 步）。</translation>
    </message>
    <message>
        <source>Computing the prediction: the attention over this long text takes a while (the tokens and the LSTM are shown already).</source>
        <translation>正在计算预测：这段长文本的注意力需要一些时间（词元和 LSTM 已经显示）。</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>◀ Scene</source>
        <translation>◀ 场景</translation>
    </message>
    <message>
        <source>Previous scene (Page Up)</source>
        <translation>上一场景（Page Up）</translation>
    </message>
    <message>
        <source>Scene ▶</source>
        <translation>场景 ▶</translation>
    </message>
    <message>
        <source>Next scene (Page Down)</source>
        <translation>下一场景（Page Down）</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Choose the views to present</source>
        <translation>选择要演示的视图</translation>
    </message>
    <message>
        <source>Size of text, chips and diagrams (1× to 2.5×)</source>
        <translation>文字、词元块和图示的大小（1× 到 2.5×）</translation>
    </message>
    <message>
        <source>Standard colours</source>
        <translation>标准配色</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <source>Both palettes are safe for colour-blind viewers</source>
        <translation>两种配色都适合色觉障碍者</translation>
    </message>
    <message>
        <source>Leave (Esc)</source>
        <translation>退出（Esc）</translation>
    </message>
    <message>
        <source>Presenting: Space or → next step, ← previous, Esc leaves</source>
        <translation>演示中：空格或 → 下一步，← 上一步，Esc 退出</translation>
    </message>
    <message>
        <source>%1 · scene %2 of %3</source>
        <translation>%1 · 第 %2 个场景（共 %3 个）</translation>
    </message>
    <message>
        <source>This scene cannot be shown: %1</source>
        <translation>无法显示该场景：%1</translation>
    </message>
</context>
<context>
    <name>SaturationPanel</name>
    <message>
        <source>input gate i</source>
        <translation>输入门 i</translation>
    </message>
    <message>
        <source>forget gate f</source>
        <translation>遗忘门 f</translation>
    </message>
    <message>
        <source>output gate o</source>
        <translation>输出门 o</translation>
    </message>
    <message>
        <source>peak h</source>
        <translation>峰值 h</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Context (the peak token highlighted)</source>
        <translation>上下文（峰值词元高亮）</translation>
    </message>
    <message>
        <source>Gate:</source>
        <translation>门：</translation>
    </message>
    <message>
        <source>, layer %1</source>
        <translation>，第 %1 层</translation>
    </message>
    <message>
        <source>, backward</source>
        <translation>，反向</translation>
    </message>
    <message>
        <source>, forward</source>
        <translation>，前向</translation>
    </message>
    <message>
        <source>Run the corpus: the saturation of every unit is counted over all its texts.</source>
        <translation>请运行语料：每个单元的饱和度会在全部文本上统计。</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) over %1 steps of %2 texts: a dot far right or far up is a gate that is mostly shut or mostly open. Click a dot for the unit&apos;s top contexts.</source>
        <translation>
            <numerusform>%n 个单元，统计 %2 段文本的 %1 个时间步：越靠右的点表示门多数时候关闭，越靠上表示多数时候打开。点击一个点，查看该单元的最强激活上下文。</numerusform>
        </translation>
    </message>
    <message>
        <source>Click a unit to list the texts where its hidden state h peaks highest.</source>
        <translation>点击一个单元，列出其隐藏状态 h 峰值最高的文本。</translation>
    </message>
    <message numerus="yes">
        <source>Unit %1: its top %n context(s) across the corpus (each text&apos;s highest h)</source>
        <translation>
            <numerusform>单元 %1：整个语料中最强的 %n 个上下文（每段文本取最高的 h）</numerusform>
        </translation>
    </message>
    <message>
        <source>No text of the dataset could run.</source>
        <translation>数据集中没有任何文本能够运行。</translation>
    </message>
    <message>
        <source>The recurrent layer (LSTM or GRU) and direction whose units are plotted</source>
        <translation>绘制其单元的循环层（LSTM 或 GRU）与方向</translation>
    </message>
    <message>
        <source>Recurrent layer:</source>
        <translation>循环层：</translation>
    </message>
    <message>
        <source>reset gate r</source>
        <translation>重置门 r</translation>
    </message>
    <message>
        <source>update gate z</source>
        <translation>更新门 z</translation>
    </message>
    <message>
        <source>This model has no LSTM or GRU.</source>
        <translation>该模型没有 LSTM 或 GRU。</translation>
    </message>
</context>
<context>
    <name>SaturationPlot</name>
    <message>
        <source>share of steps with %1 &lt; 0.1</source>
        <translation>%1 &lt; 0.1 的时间步占比</translation>
    </message>
    <message>
        <source>share of steps with %1 &gt; 0.9</source>
        <translation>%1 &gt; 0.9 的时间步占比</translation>
    </message>
    <message>
        <source>unit %1: %2 &lt; 0.1 in %3% of steps, &gt; 0.9 in %4%</source>
        <translation>单元 %1：%3% 的时间步 %2 &lt; 0.1，%4% 的时间步 &gt; 0.9</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <source>%1: cannot write the PNG file</source>
        <translation>%1：无法写入 PNG 文件</translation>
    </message>
</context>
<context>
    <name>StaleMarker</name>
    <message>
        <source>Out of date: %1</source>
        <translation>已过时：%1</translation>
    </message>
    <message>
        <source> (out of date)</source>
        <translation>（已过时）</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <source>forget</source>
        <translation>遗忘</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>update the cell</source>
        <translation>更新细胞状态</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>反向</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>前向</translation>
    </message>
    <message>
        <source>First step</source>
        <translation>第一步</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Last step</source>
        <translation>最后一步</translation>
    </message>
    <message>
        <source>Show everything</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>slow</source>
        <translation>慢速</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>very fast</source>
        <translation>极快</translation>
    </message>
    <message>
        <source>Playing speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Every step of the computation, in order</source>
        <translation>按顺序列出计算的每一步</translation>
    </message>
    <message>
        <source>Cell stages</source>
        <translation>细胞阶段</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Nothing to step through</source>
        <translation>没有可逐步演示的内容</translation>
    </message>
    <message numerus="yes">
        <source>Showing the finished computation (%n steps)</source>
        <translation>
            <numerusform>显示完整的计算结果（共 %n 步）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, layer %2 %3: token %4 of %5 “%6”</source>
        <translation>%1，第 %2 层 %3：第 %4 个词元（共 %5 个）“%6”</translation>
    </message>
    <message>
        <source>%1: query %2 of %3 “%4”</source>
        <translation>%1：第 %2 个查询（共 %3 个）“%4”</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3</source>
        <translation>第 %1 步（共 %2 步）· %3</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>reset gate r</source>
        <translation>重置门 r</translation>
    </message>
    <message>
        <source>update gate z</source>
        <translation>更新门 z</translation>
    </message>
    <message>
        <source>candidate n</source>
        <translation>候选值 n</translation>
    </message>
    <message>
        <source>new state h</source>
        <translation>新状态 h</translation>
    </message>
    <message>
        <source>Walk each timestep in four stages: for an LSTM forget, input, update the cell, output; for a GRU the reset gate, the update gate, the candidate, the new state</source>
        <translation>把每个时间步分为四个阶段演示：LSTM 为遗忘、输入、更新细胞状态、输出；GRU 为重置门、更新门、候选值、新状态</translation>
    </message>
    <message>
        <source>%1: query %2 of %3</source>
        <translation>%1：第 %2 个查询（共 %3 个）</translation>
    </message>
</context>
<context>
    <name>TokenStrip</name>
    <message>
        <source>attention row of the selected token</source>
        <translation>所选词元的注意力行</translation>
    </message>
    <message>
        <source>attention pooling weights</source>
        <translation>注意力池化权重</translation>
    </message>
    <message>
        <source>selected unit: hidden state h</source>
        <translation>所选单元：隐藏状态 h</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>What the chip colours show</source>
        <translation>词元块颜色所表示的内容</translation>
    </message>
    <message>
        <source>show padding</source>
        <translation>显示填充</translation>
    </message>
    <message>
        <source>Show every padding token instead of one “⟨pad⟩ ×N” chip</source>
        <translation>逐个显示填充词元，而不是合并为一个“⟨pad⟩ ×N”块</translation>
    </message>
    <message>
        <source>Colour by:</source>
        <translation>着色依据：</translation>
    </message>
    <message>
        <source>No model loaded.
Open one with File › Open model…</source>
        <translation>未加载模型。
请通过“文件 › 打开模型…”打开。</translation>
    </message>
    <message>
        <source>Type a text to see its tokens.</source>
        <translation>输入文本以查看其词元。</translation>
    </message>
    <message>
        <source>No tokens: %1</source>
        <translation>没有词元：%1</translation>
    </message>
    <message>
        <source>This model has no attention_pool node: choose another colouring.</source>
        <translation>该模型没有 attention_pool 节点：请选择其他着色方式。</translation>
    </message>
    <message>
        <source>This model has no attention: choose another colouring.</source>
        <translation>该模型没有注意力：请选择其他着色方式。</translation>
    </message>
    <message>
        <source>Click a token to see what it attends to.</source>
        <translation>点击一个词元，查看它关注的内容。</translation>
    </message>
    <message>
        <source>The selected token has no attention row.</source>
        <translation>所选词元没有注意力行。</translation>
    </message>
    <message>
        <source>attention of %1</source>
        <translation>%1 的注意力</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message numerus="yes">
        <source>, mean of %n heads</source>
        <translation>
            <numerusform>，%n 个头的平均</numerusform>
        </translation>
    </message>
    <message>
        <source>, head %1</source>
        <translation>，头 %1</translation>
    </message>
    <message>
        <source>pooling weights (%1)</source>
        <translation>池化权重（%1）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Pick a unit: click a row of a gates heatmap.</source>
        <translation>选择一个单元：点击门控热力图中的一行。</translation>
    </message>
    <message numerus="yes">
        <source>Unit %1 does not exist in %2 (%n units).</source>
        <translation>
            <numerusform>%2 中不存在单元 %1（共 %n 个单元）。</numerusform>
        </translation>
    </message>
    <message>
        <source>, layer %1</source>
        <translation>，第 %1 层</translation>
    </message>
    <message>
        <source>, forward</source>
        <translation>，前向</translation>
    </message>
    <message>
        <source>, backward</source>
        <translation>，反向</translation>
    </message>
    <message>
        <source>%1 of unit %2 (%3)</source>
        <translation>单元 %2 的 %1（%3）</translation>
    </message>
    <message>
        <source>Diverging colour map, fixed range −1 … +1 (blue negative, white 0, red positive)</source>
        <translation>发散型色图，固定范围 −1 … +1（蓝为负，白为 0，红为正）</translation>
    </message>
    <message>
        <source>%1 colour map from 0 to the largest weight of this row (%2)</source>
        <translation>%1 色图，从 0 到该行的最大权重（%2）</translation>
    </message>
    <message>
        <source> · colours clamped to ±1</source>
        <translation> · 颜色截断在 ±1</translation>
    </message>
    <message>
        <source>characters %1–%2</source>
        <translation>字符 %1–%2</translation>
    </message>
    <message>
        <source>dropped: %1 (%2)
not in the vocabulary and the tokenizer has no unknown token,
so the model never saw it</source>
        <translation>已丢弃：%1（%2）
不在词表中，且分词器没有未知词元，
因此模型从未看到它</translation>
    </message>
    <message>
        <source>cut by pad_to (%1): %2 (%3)
the model never saw it</source>
        <translation>被 pad_to（%1）截断：%2（%3）
模型从未看到它</translation>
    </message>
    <message>
        <source>1 padding token, position %1</source>
        <translation>1 个填充词元，位置 %1</translation>
    </message>
    <message>
        <source>%1 padding tokens, positions %2–%3</source>
        <translation>%1 个填充词元，位置 %2–%3</translation>
    </message>
    <message>
        <source>
tick “show padding” to see each one</source>
        <translation>
勾选“显示填充”可逐个查看</translation>
    </message>
    <message>
        <source>%1 · token %2 · id %3</source>
        <translation>%1 · 词元 %2 · ID %3</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>unknown: not in the vocabulary, the model read it as %1</source>
        <translation>未知：不在词表中，模型将其读作 %1</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source> (colour clamped at ±1)</source>
        <translation>（颜色截断在 ±1）</translation>
    </message>
    <message>
        <source>The attention of this long text is still being computed…</source>
        <translation>这段长文本的注意力仍在计算中…</translation>
    </message>
    <message>
        <source>leave-one-out importance</source>
        <translation>留一法重要性</translation>
    </message>
    <message>
        <source>How much the output changes (total variation distance) when the token is deleted: one run of the model per token, in the background</source>
        <translation>删去该词元后输出变化多少（总变差距离）：每个词元在后台多运行一次模型</translation>
    </message>
    <message>
        <source>Leave-one-out importance needs a classifier with one output for the whole text.</source>
        <translation>留一法重要性需要对整段文本给出一个输出的分类模型。</translation>
    </message>
    <message>
        <source>Leave-one-out importance is computed by the attention faithfulness tests, which need a model with attention.</source>
        <translation>留一法重要性由注意力忠实度检验计算，需要带注意力的模型。</translation>
    </message>
    <message>
        <source>Leave-one-out importance is not computed for texts over %1 tokens (this one has %2): it costs one run of the model per token.</source>
        <translation>超过 %1 个词元的文本（本文本有 %2 个）不计算留一法重要性：每个词元都要多运行一次模型。</translation>
    </message>
    <message>
        <source>Computing the leave-one-out importance: one run of the model per token…</source>
        <translation>正在计算留一法重要性：每个词元运行一次模型…</translation>
    </message>
    <message>
        <source>TVD</source>
        <translation>总变差</translation>
    </message>
    <message>
        <source>%1 colour map from 0 to the largest leave-one-out importance of this text (%2)</source>
        <translation>%1 色图，从 0 到本文本最大的留一法重要性（%2）</translation>
    </message>
    <message>
        <source>leave-one-out importance (output change without the token)</source>
        <translation>留一法重要性（删去词元后的输出变化）</translation>
    </message>
    <message>
        <source>selected unit: cell state c (LSTM)</source>
        <translation>所选单元：细胞状态 c（LSTM）</translation>
    </message>
    <message>
        <source>This model has no LSTM or GRU: choose another colouring.</source>
        <translation>该模型没有 LSTM 或 GRU：请选择其他着色方式。</translation>
    </message>
    <message>
        <source>No gates recorded for this layer.</source>
        <translation>该层没有记录门控。</translation>
    </message>
    <message>
        <source>A GRU has no cell state: colour by the hidden state h instead.</source>
        <translation>GRU 没有细胞状态：请改为按隐藏状态 h 着色。</translation>
    </message>
    <message>
        <source>weights of its one query</source>
        <translation>其唯一查询的权重</translation>
    </message>
    <message numerus="yes">
        <source>mean of its %n query rows</source>
        <translation>
            <numerusform>其 %n 个查询行的平均</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, mean of %n hops</source>
        <translation>
            <numerusform>，%n 跳的平均</numerusform>
        </translation>
    </message>
    <message>
        <source>white space: %1</source>
        <translation>空白：%1</translation>
    </message>
</context>
<context>
    <name>UnitLinePlot</name>
    <message>
        <source>Click a unit row in a gate heatmap to plot it over time</source>
        <translation>点击门控热力图中的单元行，绘制其随时间步的变化</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>token &apos;%1&apos; (%2)</source>
        <translation>词元“%1”（%2）</translation>
    </message>
</context>
<context>
    <name>ViewExport</name>
    <message>
        <source>%1: cannot write the SVG file</source>
        <translation>%1：无法写入 SVG 文件</translation>
    </message>
    <message>
        <source>%1: cannot write the PDF file</source>
        <translation>%1：无法写入 PDF 文件</translation>
    </message>
    <message>
        <source>%1: cannot write the image (unknown format or no permission)</source>
        <translation>%1：无法写入图像（格式未知或没有权限）</translation>
    </message>
</context>
<context>
    <name>ViewRegistry</name>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Attention equation</source>
        <translation>注意力公式</translation>
    </message>
    <message>
        <source>LSTM / GRU gates and states</source>
        <translation>LSTM / GRU 门控与状态</translation>
    </message>
    <message>
        <source>LSTM / GRU cell</source>
        <translation>LSTM / GRU 细胞</translation>
    </message>
</context>
<context>
    <name>WhitespaceMarks</name>
    <message>
        <source>newline</source>
        <translation>换行</translation>
    </message>
    <message>
        <source>carriage return</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>space</source>
        <translation>空格</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Open a model first: a pinned text is compared on the same model.</source>
        <translation>请先打开模型：固定的文本要在同一模型上对比。</translation>
    </message>
</context>
</TS>
