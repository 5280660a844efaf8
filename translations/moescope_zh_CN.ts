<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../views/figure.cpp" line="55"/>
        <source>%1: a figure is written as .png, .svg or .pdf</source>
        <translation>%1：图形需保存为 .png、.svg 或 .pdf</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="58"/>
        <source>%1: a figure of %2 x %3 in is outside 0.5 .. 100 in</source>
        <translation>%1：%2 x %3 英寸的图形超出 0.5 .. 100 英寸范围</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="61"/>
        <source>%1: %2 DPI is outside 30 .. 2400</source>
        <translation>%1：%2 DPI 超出 30 .. 2400 范围</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="69"/>
        <location filename="../views/figure.cpp" line="127"/>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="77"/>
        <source>%1: not enough memory for a figure of that size</source>
        <translation>%1：内存不足，无法生成该尺寸的图形</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="98"/>
        <source>MoE Scope figure</source>
        <translation>MoE Scope 图形</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="125"/>
        <source>cannot write %1: the figure could not be painted</source>
        <translation>无法写入 %1：图形绘制失败</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="47"/>
        <source>Train Mixture-of-Experts models and watch their routers live.</source>
        <translation>训练 Mixture-of-Experts 模型并实时观察其路由器。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="51"/>
        <source>Preset to select (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo; default: the last one started).</source>
        <translation>要选择的预设（lm-fortunes、vision-fmnist、fusion-fmnist、collapse-demo；默认：上次启动的预设）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="53"/>
        <source>Training steps.</source>
        <translation>训练步数。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="54"/>
        <source>auto, cpu or cuda.</source>
        <translation>auto、cpu 或 cuda。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="55"/>
        <source>Start training at once.</source>
        <translation>立即开始训练。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="56"/>
        <source>HDF5 log of the first run.</source>
        <translation>第一个运行的 HDF5 日志。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="57"/>
        <source>Open a run log instead of training.</source>
        <translation>打开运行日志而不训练。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="59"/>
        <source>Open a checkpoint as a paused run (surgery, then Resume to fine-tune).</source>
        <translation>将检查点作为已暂停的运行打开（先做手术，再继续以微调）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="62"/>
        <source>A run log to compare side by side (give it two times or more).</source>
        <translation>要并排比较的运行日志（给出两次或更多次）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="65"/>
        <source>Raise this dock at start: run, alerts, trajectories, tokens, surgery, modality, runs or recipes.</source>
        <translation>启动时显示此停靠窗口：run、alerts、trajectories、tokens、surgery、modality、runs 或 recipes。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="68"/>
        <source>Open a Hugging Face MoE model folder and run --text through it.</source>
        <translation>打开 Hugging Face MoE 模型文件夹，并让 --text 通过模型。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="71"/>
        <source>A text file for --open-model (repeatable; each file a domain).</source>
        <translation>--open-model 的文本文件（可重复；每个文件一个领域）。</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="75"/>
        <source>A run log (.h5) or a checkpoint (.pt) to open, as the desktop passes it.</source>
        <translation>要打开的运行日志（.h5）或检查点（.pt），由桌面传入。</translation>
    </message>
</context>
<context>
    <name>moescope::AlertTableModel</name>
    <message>
        <location filename="../views/alert_table_model.cpp" line="17"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="18"/>
        <source>balance coefficient</source>
        <translation>均衡系数</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="19"/>
        <source>bias balancing</source>
        <translation>偏置均衡</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="20"/>
        <source>bias update rate</source>
        <translation>偏置更新速率</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="21"/>
        <source>router temperature</source>
        <translation>路由器温度</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="22"/>
        <source>capacity factor</source>
        <translation>容量因子</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="23"/>
        <source>re-initialised experts</source>
        <translation>已重新初始化专家</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="24"/>
        <source>expert surgery</source>
        <translation>专家手术</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="25"/>
        <source>surgery undone</source>
        <translation>手术已撤销</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="34"/>
        <source>dead expert</source>
        <translation>死专家</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="36"/>
        <source>dominant expert</source>
        <translation>主导专家</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="38"/>
        <source>entropy collapse</source>
        <translation>熵坍缩</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="40"/>
        <source>representation collapse</source>
        <translation>表征坍缩</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="42"/>
        <source>rising drops</source>
        <translation>丢弃率上升</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="44"/>
        <source>log write failed</source>
        <translation>日志写入失败</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="52"/>
        <source>%1 on</source>
        <translation>%1 开启</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="53"/>
        <source>%1 off</source>
        <translation>%1 关闭</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="56"/>
        <source>%1 → %2 experts</source>
        <translation>%1 → %2 个专家</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="66"/>
        <source>, … (+%1 more)</source>
        <translation>，…（另 %1 个）</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="82"/>
        <source>%1 at step %2, layer %3</source>
        <translation>%1（第 %2 步，第 %3 层）</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="83"/>
        <source>%1 at step %2</source>
        <translation>%1（第 %2 步）</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="84"/>
        <source>
experts %1</source>
        <translation>
专家 %1</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="87"/>
        <source>
measured %1, threshold %2</source>
        <translation>
实测 %1，阈值 %2</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="100"/>
        <source>you changed %1 at step %2</source>
        <translation>您在第 %2 步修改了%1</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="181"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="183"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="185"/>
        <source>Alert / change</source>
        <translation>警报 / 变更</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="187"/>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="189"/>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
</context>
<context>
    <name>moescope::AlertsPanel</name>
    <message>
        <location filename="../views/alerts_panel.cpp" line="52"/>
        <source>Activate a row to show its layer and step in the other views</source>
        <translation>激活某行，即可在其他视图中显示其层和步</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/alerts_panel.cpp" line="163"/>
        <source>... and %n more row(s)</source>
        <translation>
            <numerusform>... 另有 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="169"/>
        <source>Alerts: none so far</source>
        <translation>警报：暂无</translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="172"/>
        <source>Alerts: %1   Interventions: %2</source>
        <translation>警报：%1   干预：%2</translation>
    </message>
</context>
<context>
    <name>moescope::CompareWindow</name>
    <message>
        <location filename="../app/compare_window.cpp" line="49"/>
        <source>&amp;Log scale</source>
        <translation>对数坐标(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="56"/>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="59"/>
        <source>by step</source>
        <translation>按步</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="60"/>
        <source>by tokens seen</source>
        <translation>按已见 token</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="61"/>
        <source>The loss chart&apos;s x axis: optimiser steps, or tokens seen (runs of other batch sizes line up by data)</source>
        <translation>损失图的 x 轴：优化器步数，或已见 token 数（不同批大小的运行按数据量对齐）</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="65"/>
        <source>A logarithmic loss axis</source>
        <translation>对数损失轴</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="67"/>
        <source>The step every run&apos;s heatmap and the difference show (Esc: each run&apos;s newest)</source>
        <translation>各运行热力图与差异图显示的步（Esc：各运行的最新步）</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="70"/>
        <source>&amp;Newest</source>
        <translation>最新(&amp;N)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="71"/>
        <source>Show each run&apos;s newest step, following runs still being written (Esc)</source>
        <translation>显示各运行的最新步，并跟随仍在写入的运行（Esc）</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="73"/>
        <source>Run A of the difference A − B</source>
        <translation>差异 A − B 中的运行 A</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="74"/>
        <source>Run B of the difference A − B</source>
        <translation>差异 A − B 中的运行 B</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="79"/>
        <source>Loss:</source>
        <translation>损失：</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="83"/>
        <source>Step:</source>
        <translation>步：</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="85"/>
        <location filename="../app/compare_window.cpp" line="278"/>
        <source>newest of each run</source>
        <translation>各运行最新步</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="89"/>
        <source>Difference:</source>
        <translation>差异：</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="99"/>
        <source>The config keys whose values differ between the runs</source>
        <translation>各运行之间取值不同的配置键</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="128"/>
        <source>Export &amp;figure...</source>
        <translation>导出图形(&amp;F)...</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="172"/>
        <source>Compare runs: %1</source>
        <translation>比较运行：%1</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="199"/>
        <source>%1 runs: the loss chart and the config table show all, the heatmaps the first %2.</source>
        <translation>%1 个运行：损失图和配置表显示全部，热力图只显示前 %2 个。</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="240"/>
        <source>Config diff: %1</source>
        <translation>配置差异：%1</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="249"/>
        <source>(absent)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="257"/>
        <source>config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="258"/>
        <source>the same in every run</source>
        <translation>所有运行相同</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="278"/>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
</context>
<context>
    <name>moescope::ExportFigureDialog</name>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="30"/>
        <location filename="../app/export_figure_dialog.cpp" line="86"/>
        <source>Export figure</source>
        <translation>导出图形</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="36"/>
        <source> in</source>
        <translation> 英寸</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="38"/>
        <source>3.3 in: one column of a two-column paper; 6.9 in: both columns</source>
        <translation>3.3 英寸：双栏论文的单栏；6.9 英寸：通栏</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="41"/>
        <source>Pixels per inch of a PNG; SVG and PDF are vector, their curves decimated to this resolution</source>
        <translation>PNG 每英寸像素数；SVG 和 PDF 为矢量图，其曲线按此分辨率抽稀</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="42"/>
        <source>&amp;Browse...</source>
        <translation>浏览(&amp;B)...</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="46"/>
        <source>The suffix chooses the format: .png, .svg or .pdf</source>
        <translation>文件后缀决定格式：.png、.svg 或 .pdf</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="49"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="50"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="51"/>
        <source>&amp;Width</source>
        <translation>宽度(&amp;W)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="52"/>
        <source>&amp;Height</source>
        <translation>高度(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="53"/>
        <source>&amp;DPI (PNG)</source>
        <translation>DPI（仅 PNG）(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>SVG, vector (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>PDF, vector (*.pdf)</source>
        <translation>PDF 矢量图 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="104"/>
        <source>Cannot export the figure</source>
        <translation>无法导出图形</translation>
    </message>
</context>
<context>
    <name>moescope::GatingView</name>
    <message>
        <location filename="../views/gating_view.cpp" line="42"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="54"/>
        <source>Gating</source>
        <translation>门控</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="54"/>
        <source>MoE layer whose gates are shown</source>
        <translation>显示其门控的 MoE 层</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="90"/>
        <location filename="../views/gating_view.cpp" line="173"/>
        <source>waiting for routing data</source>
        <translation>等待路由数据</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="184"/>
        <source>Gate weights</source>
        <translation>门控权重</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="185"/>
        <source>all gates</source>
        <translation>全部门控</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="186"/>
        <source>top-1 gate</source>
        <translation>top-1 门控</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="194"/>
        <source>no gate histogram in this snapshot</source>
        <translation>此快照中无门控直方图</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="208"/>
        <source>gate weight</source>
        <translation>门控权重</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="217"/>
        <source>Experts per token (mean %1)</source>
        <translation>每 token 专家数（均值 %1）</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="218"/>
        <source>Experts per token</source>
        <translation>每 token 专家数</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="225"/>
        <source>no k histogram in this snapshot</source>
        <translation>此快照中无 k 直方图</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="235"/>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="236"/>
        <source>experts per token (k)</source>
        <translation>每 token 专家数（k）</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="245"/>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="248"/>
        <source>other layers (range)</source>
        <translation>其他层（范围）</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="248"/>
        <source>other layers</source>
        <translation>其他层</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="250"/>
        <source>Gate entropy / log E</source>
        <translation>门控熵 / log E</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="250"/>
        <source>Dropped at capacity</source>
        <translation>因容量丢弃</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="297"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="312"/>
        <source>gate weight %1–%2</source>
        <translation>门控权重 %1–%2</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="313"/>
        <source>
all dispatched gates %1</source>
        <translation>
全部已分派门控 %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="314"/>
        <source>
top-1 gate %1</source>
        <translation>
top-1 门控 %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="324"/>
        <source>%1 or more experts: %2 of tokens</source>
        <translation>%1 个及以上专家：%2 的 token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="325"/>
        <source>1 expert: %1 of tokens</source>
        <translation>1 个专家：%1 的 token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="326"/>
        <source>%1 experts: %2 of tokens</source>
        <translation>%1 个专家：%2 的 token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="338"/>
        <source>step %1, layer %2: %3 dropped</source>
        <translation>第 %1 步，第 %2 层：丢弃 %3</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="344"/>
        <source>step %1, layer %2: entropy n/a</source>
        <translation>第 %1 步，第 %2 层：熵 无</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="345"/>
        <source>step %1, layer %2: entropy %3 nats (%4 of log E)</source>
        <translation>第 %1 步，第 %2 层：熵 %3 nats（log E 的 %4）</translation>
    </message>
</context>
<context>
    <name>moescope::HeatmapWidget</name>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="117"/>
        <location filename="../views/heatmap_widget.cpp" line="124"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="147"/>
        <source>Expert load: waiting for routing data</source>
        <translation>专家负载：等待路由数据</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="126"/>
        <source>layer %1, expert %2
share %3 (ideal %4)
utilisation %5</source>
        <translation>第 %1 层，专家 %2
占比 %3（理想 %4）
利用率 %5</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="134"/>
        <source>
bias %1</source>
        <translation>
偏置 %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="136"/>
        <source>
step %1</source>
        <translation>
第 %1 步</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="149"/>
        <source>Expert load, %1</source>
        <translation>专家负载，%1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="152"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="193"/>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="194"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
</context>
<context>
    <name>moescope::LayerBox</name>
    <message>
        <location filename="../views/layer_box.cpp" line="14"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
</context>
<context>
    <name>moescope::LoadDiffView</name>
    <message>
        <location filename="../views/load_diff_view.cpp" line="60"/>
        <source>not comparable cell by cell: %1 has %2 x %3 (layers x experts), %4 has %5 x %6</source>
        <translation>无法逐格比较：%1 为 %2 x %3（层 x 专家），%4 为 %5 x %6</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="87"/>
        <source>Load difference: %1</source>
        <translation>负载差异：%1</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="88"/>
        <source>Load difference: waiting for routing data of both runs</source>
        <translation>负载差异：等待两个运行的路由数据</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="90"/>
        <source>Load share %1 − %2, step %3</source>
        <translation>负载占比 %1 − %2，第 %3 步</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="91"/>
        <source> (%1 at step %2)</source>
        <translation>（%1 为第 %2 步）</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="108"/>
        <source>layer %1, expert %2
%3 − %4: %5 percentage points</source>
        <translation>第 %1 层，专家 %2
%3 − %4：%5 个百分点</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="111"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="137"/>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="138"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
</context>
<context>
    <name>moescope::LoadTimelineWidget</name>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="34"/>
        <source>Expert load over time</source>
        <translation>专家负载随时间变化</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="35"/>
        <source>MoE layer whose expert load is shown</source>
        <translation>显示其专家负载的 MoE 层</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="129"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="130"/>
        <source>step %1, expert %2
share %3 (ideal %4)
layer %5</source>
        <translation>第 %1 步，专家 %2
占比 %3（理想 %4）
第 %5 层</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="156"/>
        <source>waiting for routing data</source>
        <translation>等待路由数据</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="220"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="221"/>
        <source>expert</source>
        <translation>专家</translation>
    </message>
</context>
<context>
    <name>moescope::LossChart</name>
    <message>
        <location filename="../views/loss_chart.cpp" line="198"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="202"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="203"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="212"/>
        <source>loss (nats, log scale)</source>
        <translation>损失（nats，对数）</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="283"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="283"/>
        <source>tokens seen</source>
        <translation>已见 token</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="210"/>
        <source>loss (nats)</source>
        <translation>损失（nats）</translation>
    </message>
</context>
<context>
    <name>moescope::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="65"/>
        <source>MoE Scope</source>
        <translation>MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="105"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="106"/>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="107"/>
        <source>Routing trajectories</source>
        <translation>路由轨迹</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="108"/>
        <source>Probe tokens</source>
        <translation>探针 token</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="115"/>
        <source>Recipes</source>
        <translation>配方</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="118"/>
        <source>training the model built by the recipe: %1</source>
        <translation>正在训练配方构建的模型：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="143"/>
        <location filename="../app/main_window_logs.cpp" line="119"/>
        <location filename="../app/main_window_logs.cpp" line="124"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="206"/>
        <source>learning rate set to %1</source>
        <translation>学习率设为 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="209"/>
        <source>balance coefficient set to %1</source>
        <translation>均衡系数设为 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="212"/>
        <source>router temperature set to %1</source>
        <translation>路由器温度设为 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="215"/>
        <source>routing is dropless</source>
        <translation>路由为无丢弃模式</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="215"/>
        <source>capacity factor set to %1</source>
        <translation>容量因子设为 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="218"/>
        <source>aux-loss-free bias balancing on, rate %1</source>
        <translation>无辅助损失偏置均衡已开启，速率 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="219"/>
        <source>aux-loss-free bias balancing off</source>
        <translation>无辅助损失偏置均衡已关闭</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="222"/>
        <source>re-initialising dead experts after this step</source>
        <translation>将在本步之后重新初始化死专家</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="307"/>
        <source>showing step %1%2 (Esc: follow the run)</source>
        <translation>显示第 %1 步%2（Esc：跟随运行）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="309"/>
        <source>, layer %1</source>
        <translation>，第 %1 层</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="400"/>
        <source>running %n text file(s) through %1; then paused: preview surgery, or Resume to fine-tune</source>
        <translation>
            <numerusform>正在让 %n 个文本文件通过 %1；之后暂停：预览手术，或点击“继续”进行微调</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="260"/>
        <source>alert: %1</source>
        <translation>警报：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>Surgery</source>
        <translation>手术</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="110"/>
        <source>Modality x expert</source>
        <translation>模态 x 专家</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>Runs</source>
        <translation>运行列表</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="166"/>
        <location filename="../app/main_window_menus.cpp" line="43"/>
        <source>Export &amp;figure...</source>
        <translation>导出图形(&amp;F)...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="169"/>
        <source>x axis: &amp;tokens seen</source>
        <translation>x 轴：已见 token(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="175"/>
        <source>&amp;Log scale</source>
        <translation>对数坐标(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="225"/>
        <source>previewing: %1 %2</source>
        <translation>预览中：%1 %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="228"/>
        <source>sweeping: %1 %2</source>
        <translation>扫描中：%1 %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="231"/>
        <source>applying surgery preview %1</source>
        <translation>正在应用手术预览 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="233"/>
        <source>undoing the surgery</source>
        <translation>正在撤销手术</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="20"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="21"/>
        <source>&amp;Open run log...</source>
        <translation>打开运行日志(&amp;O)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="22"/>
        <location filename="../app/main_window_logs.cpp" line="103"/>
        <source>Open run log</source>
        <translation>打开运行日志</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="23"/>
        <source>MoE Scope run logs (*.h5);;All files (*)</source>
        <translation>MoE Scope 运行日志 (*.h5);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="27"/>
        <source>Open &amp;checkpoint...</source>
        <translation>打开检查点(&amp;C)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="28"/>
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="29"/>
        <source>MoE Scope checkpoints (*.pt);;All files (*)</source>
        <translation>MoE Scope 检查点 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="32"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="33"/>
        <source>Open &amp;model...</source>
        <translation>打开模型(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="34"/>
        <source>Ctrl+Alt+O</source>
        <translation>Ctrl+Alt+O</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="35"/>
        <source>Open a Hugging Face MoE model folder (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE) and run text through it</source>
        <translation>打开 Hugging Face MoE 模型文件夹（Mixtral、OLMoE、Qwen2-MoE、Qwen3-MoE）并让文本通过模型</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="36"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="38"/>
        <source>&amp;Log folder...</source>
        <translation>日志文件夹(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="39"/>
        <source>Folder for new run logs</source>
        <translation>新运行日志的存放文件夹</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="44"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="45"/>
        <source>The view last clicked as a figure for a paper: PNG, SVG or PDF</source>
        <translation>将最近点击的视图导出为论文图形：PNG、SVG 或 PDF</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="46"/>
        <source>Export &amp;data...</source>
        <translation>导出数据(&amp;D)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="48"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="51"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="52"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="54"/>
        <source>&amp;Pause / Resume</source>
        <translation>暂停 / 继续(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="55"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="56"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="59"/>
        <source>Save &amp;checkpoint...</source>
        <translation>保存检查点(&amp;C)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="61"/>
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="62"/>
        <source>Checkpoints (*.pt)</source>
        <translation>检查点 (*.pt)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="66"/>
        <source>Expert s&amp;urgery...</source>
        <translation>专家手术(&amp;U)...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="67"/>
        <source>Ctrl+Shift+U</source>
        <translation>Ctrl+Shift+U</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="68"/>
        <source>&amp;Merging recipes...</source>
        <translation>模型配方(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="69"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="70"/>
        <source>Upcycle, Branch-Train-MiX or merge models, with a preview before training</source>
        <translation>升级改造、Branch-Train-MiX 或合并模型，训练前先预览</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="72"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="73"/>
        <source>&amp;Follow the run</source>
        <translation>跟随运行(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="78"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="79"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="82"/>
        <location filename="../app/main_window_menus.cpp" line="97"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="82"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="83"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="93"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="109"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="110"/>
        <source>&amp;User guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="112"/>
        <source>&amp;About MoE Scope</source>
        <translation>关于 MoE Scope(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="113"/>
        <source>About MoE Scope</source>
        <translation>关于 MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="323"/>
        <source>saving a checkpoint to %1</source>
        <translation>正在保存检查点到 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="340"/>
        <source>Cannot start</source>
        <translation>无法开始</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357"/>
        <source>Stop the current run before opening a checkpoint.</source>
        <translation>请先停止当前运行，再打开检查点。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="365"/>
        <source>Cannot open checkpoint</source>
        <translation>无法打开检查点</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="350"/>
        <source>opened %1 at step %2, paused: Resume trains to step %3</source>
        <translation>已打开 %1（第 %2 步），已暂停：继续将训练到第 %3 步</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="380"/>
        <source>Stop the current run before opening a model.</source>
        <translation>请先停止当前运行，再打开模型。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="389"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="408"/>
        <source>Open Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="411"/>
        <source>Text to run through the model (each file a domain)</source>
        <translation>要通过模型的文本（每个文件一个领域）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="443"/>
        <location filename="../app/main_window_logs.cpp" line="209"/>
        <source>stopping...</source>
        <translation>正在停止...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="452"/>
        <source>MoE Scope - %1</source>
        <translation>MoE Scope - %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="453"/>
        <source>logging to %1</source>
        <translation>日志写入 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="459"/>
        <source>step %1 / %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="460"/>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="465"/>
        <source>validation %1 bits/byte</source>
        <translation>验证 %1 比特/字节</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="467"/>
        <source>caption %1 bits/byte, accuracy %2%</source>
        <translation>描述 %1 比特/字节，准确率 %2%</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="471"/>
        <source>test accuracy %1%</source>
        <translation>测试准确率 %1%</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="482"/>
        <source>Run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="30"/>
        <source>none yet (no run started)</source>
        <translation>暂无（尚未开始运行）</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="31"/>
        <source>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Train Mixture-of-Experts models and watch their routers live.&lt;br&gt;&lt;br&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%3 (built with %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Devices&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Device in use&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;br&gt;Logs: HDF5 (docs/hdf5-log.md). Settings: %8</source>
        <translation>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;训练 Mixture-of-Experts 模型并实时观察其路由器。&lt;br&gt;&lt;br&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%3（基于 %4 构建）&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;设备&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;当前设备&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;br&gt;日志：HDF5（docs/hdf5-log.md）。设置：%8</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="153"/>
        <source>Cannot compare</source>
        <translation>无法比较</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="165"/>
        <source>Comparison cleared</source>
        <translation>已清除比较</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window_logs.cpp" line="166"/>
        <source>Loss chart: %n other run(s) overlaid</source>
        <translation>
            <numerusform>损失图：已叠加 %n 个其他运行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="86"/>
        <source>Layout reset</source>
        <translation>布局已重置</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="132"/>
        <source>New run logs go to %1</source>
        <translation>新运行日志保存到 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="154"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="156"/>
        <source>&amp;Clear list</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="196"/>
        <source>The language changes at the next start of MoE Scope.</source>
        <translation>语言将在 MoE Scope 下次启动时更改。</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="203"/>
        <source>MoE Scope user guide</source>
        <translation>MoE Scope 用户指南</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="212"/>
        <source>The user guide is not in this build (docs/guide.md).</source>
        <translation>此构建中没有用户指南（docs/guide.md）。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357"/>
        <location filename="../app/main_window.cpp" line="380"/>
        <location filename="../app/main_window_logs.cpp" line="62"/>
        <source>Run in progress</source>
        <translation>运行进行中</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="62"/>
        <source>Stop the current run before opening a log.</source>
        <translation>请先停止当前运行，再打开日志。</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="101"/>
        <source>Reading %1...</source>
        <translation>正在读取 %1...</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="91"/>
        <source>reading log...</source>
        <translation>正在读取日志...</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="101"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="120"/>
        <source>Opening %1 cancelled</source>
        <translation>已取消打开 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="125"/>
        <source>Cannot open run log</source>
        <translation>无法打开运行日志</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="142"/>
        <source>Figure written to %1</source>
        <translation>图形已写入 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="173"/>
        <location filename="../app/main_window_logs.cpp" line="180"/>
        <location filename="../app/main_window_logs.cpp" line="188"/>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="173"/>
        <source>Start a run or open a run log first: the tables come from its log.</source>
        <translation>请先开始运行或打开运行日志：表格取自其日志。</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="181"/>
        <source>Table of %1 to write as CSV (columns: moescope-cli export --help):</source>
        <translation>要从 %1 导出为 CSV 的表（列说明：moescope-cli export --help）：</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="189"/>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="194"/>
        <source>%1 rows of %2 written to %3</source>
        <translation>已将 %1 行 %2 写入 %3</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="196"/>
        <source>Cannot export data</source>
        <translation>无法导出数据</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="204"/>
        <source>replay of %1</source>
        <translation>%1 的回放</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="203"/>
        <source>replay</source>
        <translation>回放</translation>
    </message>
</context>
<context>
    <name>moescope::ModalityView</name>
    <message>
        <location filename="../views/modality_view.cpp" line="33"/>
        <source>Modality x expert</source>
        <translation>模态 x 专家</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="34"/>
        <source>MoE layer whose routing the matrix shows (the timeline shows every layer)</source>
        <translation>矩阵所示路由所在的 MoE 层（时间线显示所有层）</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="35"/>
        <location filename="../views/modality_view.cpp" line="219"/>
        <source>modality</source>
        <translation>模态</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="36"/>
        <location filename="../views/modality_view.cpp" line="219"/>
        <source>domain</source>
        <translation>领域</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="37"/>
        <source>Rows: the modalities (image, text), or the domains (languages, image classes)</source>
        <translation>行：模态（图像、文本）或领域（语言、图像类别）</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="131"/>
        <source>this run&apos;s snapshots carry no per-modality routing (a log from before they were recorded)</source>
        <translation>此运行的快照不含按模态的路由（日志早于该项记录）</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="133"/>
        <source>waiting for routing data</source>
        <translation>等待路由数据</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="136"/>
        <source>layer %1: specialisation %2, %3</source>
        <translation>第 %1 层：专业化 %2，%3</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="138"/>
        <location filename="../views/modality_view.cpp" line="193"/>
        <location filename="../views/modality_view.cpp" line="207"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="190"/>
        <source>%1 tokens -&gt; expert %2
%3 of their assignments (ideal %4)
layer %5, step %6</source>
        <translation>%1 token -&gt; 专家 %2
占其分配的 %3（理想 %4）
第 %5 层，第 %6 步</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="204"/>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="207"/>
        <source>
layer %1: %2</source>
        <translation>
第 %1 层：%2</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="220"/>
        <source>Modality x expert: waiting for routing data</source>
        <translation>模态 x 专家：等待路由数据</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="222"/>
        <source>Routed share per %1, layer %2, %3</source>
        <translation>按%1的路由占比，第 %2 层，%3</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="232"/>
        <source>Specialisation I(%1; E) / H(%1)</source>
        <translation>专业化 I(%1; E) / H(%1)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="283"/>
        <source>expert (cells: percent of the row&apos;s assignments)</source>
        <translation>专家（单元格：占该行分配的百分比）</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="303"/>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="331"/>
        <source>specialisation</source>
        <translation>专业化</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="343"/>
        <source>step (bold: layer %1; grey: the other layers)</source>
        <translation>步（粗线：第 %1 层；灰线：其他层）</translation>
    </message>
</context>
<context>
    <name>moescope::PaintedView</name>
    <message>
        <location filename="../views/view_base.cpp" line="49"/>
        <source>dense model: nothing routed</source>
        <translation>稠密模型：无路由</translation>
    </message>
    <message>
        <location filename="../views/view_base.cpp" line="107"/>
        <source>, layer %1</source>
        <translation>，第 %1 层</translation>
    </message>
</context>
<context>
    <name>moescope::PlotAxes</name>
    <message>
        <location filename="../views/plot_axes.cpp" line="165"/>
        <source>%1 pp</source>
        <translation>%1 个百分点</translation>
    </message>
</context>
<context>
    <name>moescope::RecipeDock</name>
    <message>
        <location filename="../app/recipe_dock.cpp" line="54"/>
        <source>checkpoint (.pt)</source>
        <translation>检查点 (.pt)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="57"/>
        <location filename="../app/recipe_dock.cpp" line="61"/>
        <source>Choose a checkpoint</source>
        <translation>选择检查点</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="62"/>
        <source>MoE Scope checkpoints (*.pt);;All files (*)</source>
        <translation>MoE Scope 检查点 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="75"/>
        <source>Upcycle a dense model</source>
        <translation>升级改造稠密模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="76"/>
        <source>Branch-Train-MiX</source>
        <translation>Branch-Train-MiX</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="77"/>
        <source>Merge models in weight space</source>
        <translation>在权重空间合并模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="78"/>
        <source>Upcycle: every expert starts as a copy of the dense FFN (Sparse Upcycling, Drop-Upcycling).
Branch-Train-MiX: one branch of the seed trains per language; their FFNs become the experts.
Merge: linear average, task arithmetic or TIES of models of one architecture.</source>
        <translation>升级改造：每个专家都从稠密 FFN 的副本开始（Sparse Upcycling、Drop-Upcycling）。
Branch-Train-MiX：种子模型的每个分支训练一种语言，它们的 FFN 成为专家。
合并：同一架构模型的线性平均、任务算术或 TIES。</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="81"/>
        <source>&amp;Recipe</source>
        <translation>配方(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="82"/>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>Dense model</source>
        <translation>稠密模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="83"/>
        <source>Second model</source>
        <translation>第二个模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="84"/>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="89"/>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="94"/>
        <source>Experts per token: top-1 of full copies keeps the dense model&apos;s active size, top-2 doubles the FFN&apos;s</source>
        <translation>每个词元的专家数：完整副本的 top-1 保持稠密模型的激活规模，top-2 使 FFN 的激活参数翻倍</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="95"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="101"/>
        <source>Drop-Upcycling: share of each expert&apos;s hidden units re-initialised (0.5 was the paper&apos;s best)</source>
        <translation>Drop-Upcycling：每个专家重新初始化的隐藏单元比例（论文中 0.5 最好）</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="102"/>
        <source>Drop ratio</source>
        <translation>丢弃比例</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="107"/>
        <source>Optimizer steps of each branch, on its own language only</source>
        <translation>每个分支的优化步数，只用它自己的语言</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="108"/>
        <source>Branch steps</source>
        <translation>分支步数</translation>
    </message>
    <message>
        <source>each branch&apos;s mean hidden state</source>
        <translation type="vanished">各分支的平均隐藏状态</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="111"/>
        <source>mean hidden state per language</source>
        <translation>每种语言的平均隐藏状态</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="112"/>
        <source>Each expert&apos;s router row from the mean hidden state of its language&apos;s training text (Branch-Train-MiX: its branch&apos;s, on its language; upcycling: language e mod 4 for expert e), or random</source>
        <translation>每个专家的路由行取自其语言训练文本上的平均隐藏状态（Branch-Train-MiX：其分支在该语言上的；升级改造：专家 e 对应语言 e mod 4），或随机</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="114"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="115"/>
        <source>Router start</source>
        <translation>路由器初始化</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="118"/>
        <source>linear average</source>
        <translation>线性平均</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="119"/>
        <source>task arithmetic</source>
        <translation>任务算术</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="120"/>
        <source>TIES</source>
        <translation>TIES</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="121"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="127"/>
        <source>Lambda</source>
        <translation>Lambda</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="133"/>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="135"/>
        <source>Permutation-align to the first model</source>
        <translation>按置换对齐到第一个模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="136"/>
        <source>Weight matching: residual channels, attention heads, experts with their router rows, hidden units</source>
        <translation>权重匹配：残差通道、注意力头、专家及其路由行、隐藏单元</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="141"/>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="142"/>
        <source>Build the model and measure it on the held-out text, before any training</source>
        <translation>构建模型并在留出文本上测量，训练之前</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="143"/>
        <source>Apply and &amp;train</source>
        <translation>应用并训练(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="144"/>
        <source>Open the previewed model as the run and train it</source>
        <translation>将预览的模型作为运行打开并训练</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="146"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>First model</source>
        <translation>第一个模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>Dense seed</source>
        <translation>稠密种子模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="277"/>
        <source>starting...</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="290"/>
        <source>built in %1 s and measured before any training: Apply and train to go on</source>
        <translation>已在 %1 秒内构建并在训练前测量：点击“应用并训练”继续</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="305"/>
        <source>cancelling at the next step...</source>
        <translation>将在下一步取消…</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="315"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Active</source>
        <translation>激活</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>FLOPs/token</source>
        <translation>FLOPs/词元</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="325"/>
        <location filename="../app/recipe_dock.cpp" line="357"/>
        <location filename="../app/recipe_dock.cpp" line="367"/>
        <source>bits/byte</source>
        <translation>比特/字节</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="325"/>
        <location filename="../app/recipe_dock.cpp" line="357"/>
        <location filename="../app/recipe_dock.cpp" line="367"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="337"/>
        <source>dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="337"/>
        <source>%1, top-%2</source>
        <translation>%1，top-%2</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="366"/>
        <source>Held-out %1 on the straight path from the first model to the second (11 points):</source>
        <translation>从第一个模型到第二个模型的直线路径上的留出%1（11 个点）：</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="368"/>
        <source>before alignment: %1</source>
        <translation>对齐前：%1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="369"/>
        <source>after alignment: %1</source>
        <translation>对齐后：%1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="383"/>
        <source>Loss barrier: (1 − α) · first + α · second</source>
        <translation>损失壁垒：(1 − α) · 第一个 + α · 第二个</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="408"/>
        <source>before alignment</source>
        <translation>对齐前</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="409"/>
        <source>after alignment</source>
        <translation>对齐后</translation>
    </message>
</context>
<context>
    <name>moescope::RunControls</name>
    <message>
        <location filename="../app/run_controls.cpp" line="41"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="26"/>
        <source>softmax top-k (Mixtral)</source>
        <translation>softmax top-k（同 Mixtral）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="27"/>
        <source>raw gates, with capacity</source>
        <translation>原始门控，带容量限制</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="28"/>
        <source>each expert takes its best tokens</source>
        <translation>每个专家选取其最佳 token</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="29"/>
        <source>fixed token-id map</source>
        <translation>固定的 token-id 映射</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="30"/>
        <source>all experts, annealed to top-k</source>
        <translation>全部专家，退火至 top-k</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="31"/>
        <source>experts until their probability reaches p</source>
        <translation>逐个加入专家，直至概率累计达到 p</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="56"/>
        <source>(docs/routers.md)</source>
        <translation>（详见 docs/routers.md）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="71"/>
        <source>auto picks the CUDA GPU when LibTorch sees one</source>
        <translation>LibTorch 检测到 CUDA GPU 时，auto 会选用它</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="79"/>
        <source>&amp;Preset</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="80"/>
        <source>&amp;Router</source>
        <translation>路由器(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="82"/>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="83"/>
        <source>Pr&amp;ecision</source>
        <translation>精度(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="74"/>
        <source>auto: bf16 autocast on CUDA, float32 on the CPU
(weights and optimizer state stay float32)</source>
        <translation>auto：CUDA 上使用 bf16 autocast，CPU 上使用 float32
（权重和优化器状态保持 float32）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="45"/>
        <source>lm-fortunes: byte-level MoE language model on multilingual fortunes
vision-fmnist: MoE image classifier on Fashion-MNIST
collapse-demo: lm-fortunes built so its router collapses
fusion-fmnist: early-fusion image + caption MoE (which experts each modality uses)</source>
        <translation>lm-fortunes：基于多语言 fortunes 的字节级 MoE 语言模型
vision-fmnist：基于 Fashion-MNIST 的 MoE 图像分类器
collapse-demo：特意构造使路由器坍缩的 lm-fortunes
fusion-fmnist：图像 + 描述的早期融合 MoE（各模态使用哪些专家）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="58"/>
        <source>shared: one pool of experts</source>
        <translation>shared：单一专家池</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="59"/>
        <source>moma: image and text groups</source>
        <translation>moma：图像组和文本组</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="60"/>
        <source>moiie: groups + cross-modal experts</source>
        <translation>moiie：分组 + 跨模态专家</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="61"/>
        <source>mot: + per-modality attention</source>
        <translation>mot：+ 各模态独立注意力</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="62"/>
        <source>dense: one FFN of the same active size</source>
        <translation>dense：激活规模相同的单个 FFN</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="63"/>
        <source>How the fusion model&apos;s experts meet the modalities (fusion presets only; docs/fusion.md):
shared: every token routed among all experts by one router
moma: image tokens routed among image experts, text tokens among text experts
moiie: moma&apos;s groups plus cross-modal experts every token may pick
mot: moma&apos;s groups plus each modality&apos;s own norms and attention projections
dense: a dense SwiGLU FFN of hidden top-k x expert hidden instead of the experts</source>
        <translation>融合模型的专家如何对应各模态（仅限融合预设；docs/fusion.md）：
shared：每个 token 由同一个路由器在全部专家中路由
moma：图像 token 在图像专家中路由，文本 token 在文本专家中路由
moiie：moma 的分组，外加每个 token 都可选择的跨模态专家
mot：moma 的分组，外加各模态独立的归一化层和注意力投影
dense：以隐藏维度为 top-k x 专家隐藏维度的稠密 SwiGLU FFN 替代专家</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="81"/>
        <source>E&amp;xpert layout</source>
        <translation>专家布局(&amp;X)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="84"/>
        <source>S&amp;teps</source>
        <translation>步数(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="87"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="91"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="92"/>
        <location filename="../app/run_controls.cpp" line="265"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="93"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="94"/>
        <source>Start a new run (F5)</source>
        <translation>开始新的运行（F5）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="95"/>
        <source>Pause or resume between steps (F6)</source>
        <translation>在两步之间暂停或继续（F6）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="96"/>
        <source>Stop the run; the log is flushed and closed (Shift+F5)</source>
        <translation>停止运行；日志将被刷新并关闭（Shift+F5）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="100"/>
        <source>Live hyper-parameters</source>
        <translation>实时超参数</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="107"/>
        <source>Peak learning rate; warm-up and cosine decay still scale it</source>
        <translation>峰值学习率；仍会按预热和余弦衰减缩放</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="113"/>
        <source>Coefficient of the load-balancing auxiliary loss (0 = off)</source>
        <translation>负载均衡辅助损失的系数（0 = 关闭）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="114"/>
        <source>&amp;Learning rate</source>
        <translation>学习率(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="115"/>
        <source>&amp;Balance coef.</source>
        <translation>均衡系数(&amp;B)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="118"/>
        <source>Router interventions</source>
        <translation>路由器干预</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="125"/>
        <source>Router logits are divided by this; above 1 spreads tokens out</source>
        <translation>路由器 logits 除以此值；大于 1 使 token 分布更分散</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="131"/>
        <source>dropless</source>
        <translation>无丢弃</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="132"/>
        <source>Slots per expert = factor x tokens x k / experts; tokens beyond are dropped</source>
        <translation>每个专家的槽位 = 因子 x token 数 x k / 专家数；超出的 token 被丢弃</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="133"/>
        <source>&amp;Aux-loss-free bias</source>
        <translation>无辅助损失偏置(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="134"/>
        <source>Per-expert selection bias moved towards equal load every step (DeepSeek-V3)</source>
        <translation>每步将各专家的选择偏置向均衡负载调整（DeepSeek-V3）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="140"/>
        <source>Bias step per update; about 0.01 for softmax scores, larger oscillates</source>
        <translation>每次更新的偏置步长；softmax 分数约取 0.01，更大会振荡</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="141"/>
        <source>Re-init &amp;dead experts</source>
        <translation>重新初始化死专家(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="142"/>
        <source>Experts under 5% of their fair share become noisy copies of the layer&apos;s busiest expert, with its router row (Ctrl+R)</source>
        <translation>低于公平份额 5% 的专家变为该层最繁忙专家的带噪副本，并复制其路由器行（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="144"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="145"/>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="146"/>
        <source>&amp;Capacity factor</source>
        <translation>容量因子(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="148"/>
        <source>Bias &amp;rate</source>
        <translation>偏置速率(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="214"/>
        <source>about %1 at its peak; %2</source>
        <translation>峰值约 %1；%2</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="217"/>
        <source>about %1 at its peak (a GPU&apos;s memory is checked when the run starts)</source>
        <translation>峰值约 %1（GPU 显存在运行开始时检查）</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="265"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="287"/>
        <source>this run: </source>
        <translation>本次运行：</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="292"/>
        <source>%1
%2 M parameters, %3 M active per token</source>
        <translation>%1
参数 %2 M，每 token 激活 %3 M</translation>
    </message>
</context>
<context>
    <name>moescope::RunStore</name>
    <message>
        <location filename="../views/run_store.cpp" line="32"/>
        <source>%1 (live)</source>
        <translation>%1（实时）</translation>
    </message>
    <message>
        <location filename="../views/run_store.cpp" line="34"/>
        <source>replay of %1</source>
        <translation>%1 的回放</translation>
    </message>
    <message>
        <location filename="../views/run_store.cpp" line="35"/>
        <source>replay of %1 (%2)</source>
        <translation>%1 的回放（%2）</translation>
    </message>
</context>
<context>
    <name>moescope::RunTableModel</name>
    <message>
        <location filename="../app/runs_panel.cpp" line="37"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="38"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="39"/>
        <source>Router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="40"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="41"/>
        <source>Val. loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="42"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="43"/>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="44"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="65"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="99"/>
        <source>&apos;%1&apos; is not a file name</source>
        <translation>“%1”不是文件名</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="106"/>
        <source>%1 exists already</source>
        <translation>%1 已存在</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="111"/>
        <source>cannot rename %1 to %2</source>
        <translation>无法将 %1 重命名为 %2</translation>
    </message>
</context>
<context>
    <name>moescope::RunsPanel</name>
    <message>
        <location filename="../app/runs_panel.cpp" line="173"/>
        <source>Double-click: open the run. F2: rename or tag. Del: move the log to the trash.</source>
        <translation>双击：打开运行。F2：重命名或加标签。Del：将日志移到回收站。</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="174"/>
        <source>Filter runs (name, preset, router, tags...)</source>
        <translation>筛选运行（名称、预设、路由器、标签...）</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="176"/>
        <source>Add &amp;folder...</source>
        <translation>添加文件夹(&amp;F)...</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="177"/>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="178"/>
        <source>Overlay the selected runs&apos; loss curves on the loss chart and, with two runs or more, open them side by side in the compare window (nothing selected: clear the overlay)</source>
        <translation>将所选运行的损失曲线叠加到损失图上；选择两个或更多运行时，在对比窗口中并排打开（未选择时：清除叠加）</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="207"/>
        <source>Add a folder of run logs</source>
        <translation>添加运行日志文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/runs_panel.cpp" line="224"/>
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="227"/>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="280"/>
        <location filename="../app/runs_panel.cpp" line="286"/>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/runs_panel.cpp" line="281"/>
        <source>Move %n run log(s) to the trash?
%1</source>
        <translation>
            <numerusform>将 %n 个运行日志移到回收站？
%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="286"/>
        <source>cannot delete %1</source>
        <translation>无法删除 %1</translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryDock</name>
    <message>
        <location filename="../views/surgery_dock.cpp" line="65"/>
        <source>Double-click a layer&apos;s experts to change its budget, then preview again</source>
        <translation>双击某层的专家数以修改其预算，然后重新预览</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="87"/>
        <source>Budgets edited: Preview (Ctrl+Return) asks for them</source>
        <translation>预算已修改：预览（Ctrl+Return）将采用它们</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="100"/>
        <source>Prune experts</source>
        <translation>剪枝专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="101"/>
        <source>Merge experts</source>
        <translation>合并专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="102"/>
        <source>Skip dynamically</source>
        <translation>动态跳过</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="103"/>
        <source>Quantize experts</source>
        <translation>量化专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="108"/>
        <source>FFN experts every MoE layer keeps (the plan table sets one per layer)</source>
        <translation>每个 MoE 层保留的 FFN 专家数（计划表可逐层设置）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="113"/>
        <source>An expert whose gate is below β × the token&apos;s top gate is skipped (0 skips nothing, 1 keeps only the top expert)</source>
        <translation>门控低于 β × 该 token 最大门控的专家将被跳过（0 不跳过任何专家，1 仅保留最高专家）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="116"/>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="117"/>
        <source>int4</source>
        <translation>int4</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="118"/>
        <source>by usage</source>
        <translation>按使用率</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="119"/>
        <source>Per-output-channel symmetric fake quantization; by usage: rare experts get fewer bits under the average below, shared experts never fewer than 8</source>
        <translation>逐输出通道对称伪量化；按使用率：在下方平均位数下，少用的专家分得更少位数，共享专家不少于 8 位</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="125"/>
        <source> bits</source>
        <translation> 位</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="126"/>
        <source>Align hidden units</source>
        <translation>对齐隐藏单元</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="127"/>
        <source>Hungarian matching of each member&apos;s hidden units to the group&apos;s first before averaging</source>
        <translation>平均前用匈牙利匹配将每个成员的隐藏单元对齐到组内第一个专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="129"/>
        <source>keep logits</source>
        <translation>保留 logits</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="130"/>
        <source>sum rows</source>
        <translation>行求和</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="131"/>
        <source>keep: one router logit per original expert, pointing at its merged expert (tokens keep their preference); sum: the members&apos; rows summed into one logit (a plain router, as exports need)</source>
        <translation>保留：每个原专家保留一个路由器 logit，指向其合并后的专家（token 保持原有偏好）；求和：成员的行相加为一个 logit（普通路由器，导出时需要）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="138"/>
        <source>Tokens of the training split the calibration pass caches (the cost is measured on the held-out split)</source>
        <translation>校准过程缓存的训练集 token 数（代价在留出集上测量）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="141"/>
        <source>mean outputs</source>
        <translation>平均输出</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="142"/>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="143"/>
        <source>router logits</source>
        <translation>路由器 logits</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="144"/>
        <source>What the similarity heatmap compares (a new preview reuses the calibration)</source>
        <translation>相似度热力图比较的对象（新的预览会复用校准结果）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="53"/>
        <location filename="../views/surgery_dock.cpp" line="146"/>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="54"/>
        <source>Sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="147"/>
        <source>β</source>
        <translation>β</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="148"/>
        <source>Bits</source>
        <translation>位数</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="149"/>
        <source>Router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="162"/>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="164"/>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="167"/>
        <source>Every preview, apply and undo of this run</source>
        <translation>本运行的全部预览、应用和撤销记录</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="174"/>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="176"/>
        <source>Calibrate (once per step), plan, and measure the changed model on the held-out split; the model is put back afterwards (Ctrl+Return)</source>
        <translation>校准（每步一次）、制定计划，并在留出集上测量修改后的模型；之后模型会恢复原状（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="178"/>
        <source>S&amp;weep</source>
        <translation>扫描(&amp;W)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="179"/>
        <source>Preview this method at every budget (experts from E − 1 to top-k, β from 0 to 1, average bits from 8 to 2) on one calibration, and draw the costs on the Sweep tab</source>
        <translation>基于同一次校准，在每个预算下预览此方法（专家数从 E − 1 到 top-k，β 从 0 到 1，平均位数从 8 到 2），并在“扫描”页绘制代价</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="181"/>
        <source>&amp;Apply</source>
        <translation>应用(&amp;A)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="182"/>
        <source>Commit the shown preview to the model; training can go on from it</source>
        <translation>将当前预览提交到模型；可在此基础上继续训练</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="183"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="184"/>
        <source>Put the weights and optimizer state back exactly, until the next step</source>
        <translation>精确恢复权重和优化器状态（在下一步之前可用）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="186"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="209"/>
        <location filename="../views/surgery_dock.cpp" line="216"/>
        <source>waiting for the engine</source>
        <translation>等待引擎</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="226"/>
        <source>cancelling...</source>
        <translation>正在取消...</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="236"/>
        <source>REAP saliency</source>
        <translation>REAP 显著性</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="237"/>
        <source>routing frequency</source>
        <translation>路由频率</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="238"/>
        <source>subset search (NAEE)</source>
        <translation>子集搜索（NAEE）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="240"/>
        <source>HC-SMoE (clusters of mean outputs)</source>
        <translation>HC-SMoE（按平均输出聚类）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="241"/>
        <source>MC-SMoE (around the most used)</source>
        <translation>MC-SMoE（围绕最常用专家）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="337"/>
        <source>Replay: the surgery of this run, read from its log</source>
        <translation>回放：本运行的手术，读取自其日志</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="338"/>
        <source>Replay: this run&apos;s log holds no surgery</source>
        <translation>回放：本运行的日志中没有手术</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="340"/>
        <source>Pause the run (F6) to preview a surgery: it happens between steps</source>
        <translation>暂停运行（F6）后才能预览手术：手术在两步之间进行</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="342"/>
        <source>Paused: choose a surgery and Preview it (Ctrl+Return)</source>
        <translation>已暂停：选择一种手术并预览（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="344"/>
        <source>The run has ended: start or resume one to change its experts</source>
        <translation>运行已结束：开始或继续一个运行以修改其专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="345"/>
        <source>Start a run and pause it to preview a surgery</source>
        <translation>开始运行并暂停，即可预览手术</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="362"/>
        <source>Sweep done: preview the budget you choose, then apply it</source>
        <translation>扫描完成：预览所选预算，然后应用</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="367"/>
        <source>calibrating: one pass over %1 training tokens</source>
        <translation>校准中：遍历 %1 个训练 token</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="374"/>
        <source>%1 %2 at step %3: %4</source>
        <translation>%1 %2（第 %3 步）：%4</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="398"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="390"/>
        <source>Preview %1 ready: Apply commits it</source>
        <translation>预览 %1 已就绪：点击“应用”提交</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="391"/>
        <source>Applied: train on to fine-tune, or Undo before the next step</source>
        <translation>已应用：继续训练以微调，或在下一步之前撤销</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="392"/>
        <source>Undone: the model is as it was before the surgery</source>
        <translation>已撤销：模型已恢复到手术前的状态</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;before&lt;/b&gt;</source>
        <translation>&lt;b&gt;之前&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;after&lt;/b&gt;</source>
        <translation>&lt;b&gt;之后&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;change&lt;/b&gt;</source>
        <translation>&lt;b&gt;变化&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="448"/>
        <source>measured: validation bits/byte</source>
        <translation>实测：验证集 比特/字节</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="448"/>
        <source>measured: test accuracy</source>
        <translation>实测：测试准确率</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="450"/>
        <source>parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="452"/>
        <source>active parameters per token</source>
        <translation>每 token 激活参数量</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="454"/>
        <source>routed experts&apos; FLOPs per token</source>
        <translation>每 token 路由专家 FLOPs</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="456"/>
        <source>&lt;b&gt;Predicted&lt;/b&gt; (calibration cache, mean of %1 layers): routed share %2 %3, reconstruction error %4</source>
        <translation>&lt;b&gt;预测&lt;/b&gt;（校准缓存，%1 层均值）：被%3的路由占比 %2，重建误差 %4</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>removed</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="462"/>
        <source>&lt;b&gt;Time&lt;/b&gt;: calibration %1 (%2 tokens%3), plan %4, measuring %5</source>
        <translation>&lt;b&gt;耗时&lt;/b&gt;：校准 %1（%2 个 token%3），计划 %4，测量 %5</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="465"/>
        <source>, reused</source>
        <translation>，复用</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/surgery_dock.cpp" line="469"/>
        <source>%n layer(s) with a merge error above %1 (worst %2): merging there is known to hurt generation</source>
        <translation>
            <numerusform>%n 层的合并误差高于 %1（最差 %2）：已知在这些层合并会损害生成质量</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="476"/>
        <source>Sharpest cliff: layer %1 (importance Gini %2): give it a larger budget in the table</source>
        <translation>最陡断崖：第 %1 层（重要性基尼系数 %2）：请在表中给它更大的预算</translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryPlanModel</name>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="26"/>
        <source>keeps %1</source>
        <translation>保留 %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="32"/>
        <source>nothing merged</source>
        <translation>未合并</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="33"/>
        <source>merges %1</source>
        <translation>合并 %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="35"/>
        <source>β %1</source>
        <translation>β %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="39"/>
        <source>bits %1</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="96"/>
        <source>Experts this layer keeps; edit it, then preview again</source>
        <translation>本层保留的专家数；修改后请重新预览</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="99"/>
        <source>Above %1: the two experts&apos; gate mix varies with the input, and merging them is known to hurt generation; consider a larger budget or pruning this layer</source>
        <translation>高于 %1：两个专家的门控混合随输入变化，已知合并它们会损害生成质量；可考虑增大预算或改为对本层剪枝</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="102"/>
        <source>REAP&apos;s merge-error term of the worst pair merged</source>
        <translation>已合并的最差专家对的 REAP 合并误差项</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="104"/>
        <source>Gini coefficient of expert importance: the higher, the sharper the pruning cliff; give such a layer more experts</source>
        <translation>专家重要性的基尼系数：越高，剪枝断崖越陡；应给这类层更多专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="149"/>
        <source>Share of the calibration assignments removed, merged or skipped</source>
        <translation>被移除、合并或跳过的校准分配占比</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="150"/>
        <source>Share of the layer&apos;s REAP saliency (gate × output norm) removed</source>
        <translation>本层被移除的 REAP 显著性（门控 × 输出范数）占比</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="151"/>
        <source>Relative reconstruction error of the layer&apos;s output, ‖h − ĥ‖² / ‖h‖², on the cache</source>
        <translation>本层输出在缓存上的相对重建误差 ‖h − ĥ‖² / ‖h‖²</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="157"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="158"/>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="159"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="160"/>
        <source>Routed</source>
        <translation>路由</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="161"/>
        <source>Saliency</source>
        <translation>显著性</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="162"/>
        <source>Recon. error</source>
        <translation>重建误差</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="163"/>
        <source>Pair error</source>
        <translation>配对误差</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="164"/>
        <source>Gini</source>
        <translation>基尼系数</translation>
    </message>
</context>
<context>
    <name>moescope::SurgerySweepChart</name>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="56"/>
        <source>Sweep: preview a method at every budget (Sweep button)</source>
        <translation>扫描：在每个预算下预览一种方法（“扫描”按钮）</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="61"/>
        <source>recon. error (predicted, dashed)</source>
        <translation>重建误差（预测，虚线）</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="73"/>
        <source>Δ bits/byte (measured)</source>
        <translation>Δ 比特/字节（实测）</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="73"/>
        <source>accuracy lost, pt (measured)</source>
        <translation>准确率损失，百分点（实测）</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="111"/>
        <source>β (skip below β × top gate)</source>
        <translation>β（低于 β × 最大门控则跳过）</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="112"/>
        <source>average bits</source>
        <translation>平均位数</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="113"/>
        <source>experts kept per layer</source>
        <translation>每层保留专家数</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/surgery_sweep_chart.cpp" line="125"/>
        <source>Sweep: cost at every budget, %n sweep(s)</source>
        <translation>
            <numerusform>扫描：各预算下的代价，%n 次扫描</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryView</name>
    <message>
        <location filename="../views/surgery_view.cpp" line="47"/>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="48"/>
        <source>MoE layer whose experts are shown</source>
        <translation>显示其专家的 MoE 层</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="153"/>
        <source>Preview an expert surgery to see the experts here</source>
        <translation>预览一次专家手术，即可在此查看专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="156"/>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="157"/>
        <source>router logits</source>
        <translation>路由器 logits</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="158"/>
        <source>mean outputs</source>
        <translation>平均输出</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="159"/>
        <source>Layer %1: expert similarity (%2), preview %3 at step %4</source>
        <translation>第 %1 层：专家相似度（%2），预览 %3（第 %4 步）</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="172"/>
        <location filename="../views/surgery_view.cpp" line="296"/>
        <source>usage</source>
        <translation>使用率</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="173"/>
        <source>mean gate</source>
        <translation>平均门控</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="174"/>
        <source>saliency</source>
        <translation>显著性</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="265"/>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="313"/>
        <source>experts %1 and %2: similarity %3</source>
        <translation>专家 %1 与 %2：相似度 %3</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="319"/>
        <source>, merge error %1</source>
        <translation>，合并误差 %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="326"/>
        <source>expert %1
usage %2
mean gate %3
saliency %4</source>
        <translation>专家 %1
使用率 %2
平均门控 %3
显著性 %4</translation>
    </message>
</context>
<context>
    <name>moescope::TokenView</name>
    <message>
        <location filename="../views/token_view.cpp" line="29"/>
        <source>dropped: %1</source>
        <translation>丢弃：%1</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="30"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="42"/>
        <source>Probe tokens</source>
        <translation>探针 token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="42"/>
        <source>MoE layer whose top-1 experts colour the tokens</source>
        <translation>以其 top-1 专家为 token 着色的 MoE 层</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="95"/>
        <source>waiting for probe-token routing</source>
        <translation>等待探针 token 的路由</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="97"/>
        <source>top-1 expert per token, %1</source>
        <translation>每个 token 的 top-1 专家，%1</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="138"/>
        <source>&apos;%1&apos; (token %2)</source>
        <translation>“%1”（词元 %2）</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="142"/>
        <source>&apos;%1&apos; (byte 0x%2) at position %3</source>
        <translation>位置 %3 处的“%1”（字节 0x%2）</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="147"/>
        <source>patch %1 (row %2, column %3)</source>
        <translation>图块 %1（第 %2 行，第 %3 列）</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="158"/>
        <source>
expert %1: %2</source>
        <translation>
专家 %1：%2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="163"/>
        <source>
dropped</source>
        <translation>
已丢弃</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="181"/>
        <location filename="../views/token_view.cpp" line="350"/>
        <source>top-1 expert: tokens</source>
        <translation>top-1 专家：token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="308"/>
        <source>waiting for the run&apos;s probe tokens</source>
        <translation>等待本运行的探针 token</translation>
    </message>
</context>
<context>
    <name>moescope::TrajectoryView</name>
    <message>
        <location filename="../views/trajectory_view.cpp" line="31"/>
        <source>1 token</source>
        <translation>1 个 token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="31"/>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="37"/>
        <source>Routing trajectories</source>
        <translation>路由轨迹</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="59"/>
        <location filename="../views/trajectory_view.cpp" line="176"/>
        <source>waiting for probe-token routing</source>
        <translation>等待探针 token 的路由</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="67"/>
        <source>top-1 expert of %1 probe tokens per layer</source>
        <translation>%1 个探针 token 在各层的 top-1 专家</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="68"/>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="103"/>
        <location filename="../views/trajectory_view.cpp" line="201"/>
        <source>dropped</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="107"/>
        <source>expert %1 (%2)</source>
        <translation>专家 %1（%2）</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="108"/>
        <source>expert %1</source>
        <translation>专家 %1</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="123"/>
        <source>layer %1 %2: %3 (%4)</source>
        <translation>第 %1 层 %2：%3（%4）</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="131"/>
        <source>layer %1 %2 → layer %3 %4: %5</source>
        <translation>第 %1 层 %2 → 第 %3 层 %4：%5</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="216"/>
        <source>layer (node: top-1 expert, band: tokens)</source>
        <translation>层（节点：top-1 专家，条带：token）</translation>
    </message>
</context>
<context>
    <name>moescope::ViewText</name>
    <message>
        <location filename="../views/view_text.cpp" line="14"/>
        <source>step %1 of the replay</source>
        <translation>回放第 %1 步</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="15"/>
        <source>step %1, following live</source>
        <translation>第 %1 步，跟随实时</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="18"/>
        <source>at step %1 (replay ends at step %2)</source>
        <translation>第 %1 步（回放止于第 %2 步）</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="19"/>
        <source>at step %1 (live: step %2)</source>
        <translation>第 %1 步（实时：第 %2 步）</translation>
    </message>
</context>
</TS>
