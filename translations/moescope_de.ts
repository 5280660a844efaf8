<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="35"/>
        <source>Train Mixture-of-Experts models and watch their routers live.</source>
        <translation>Mixture-of-Experts-Modelle trainieren und ihre Router live beobachten.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="39"/>
        <source>Preset to select (lm-fortunes, vision-fmnist).</source>
        <translation>Voreinstellung (lm-fortunes, vision-fmnist).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="41"/>
        <source>Training steps.</source>
        <translation>Trainingsschritte.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="42"/>
        <source>auto, cpu or cuda.</source>
        <translation>auto, cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="43"/>
        <source>Start training at once.</source>
        <translation>Training sofort starten.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="44"/>
        <source>HDF5 log of the first run.</source>
        <translation>HDF5-Protokoll des ersten Laufs.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="45"/>
        <source>Open a run log instead of training.</source>
        <translation>Ein Laufprotokoll öffnen statt zu trainieren.</translation>
    </message>
</context>
<context>
    <name>moescope::HeatmapWidget</name>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="83"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="84"/>
        <source>layer %1, expert %2
share %3 (ideal %4)
step %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="99"/>
        <source>Expert load: waiting for routing data</source>
        <translation>Expertenlast: warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="100"/>
        <source>Expert load at step %1</source>
        <translation>Expertenlast bei Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="126"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="127"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
</context>
<context>
    <name>moescope::LoadTimelineWidget</name>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="30"/>
        <source>Expert load over time</source>
        <translation>Expertenlast im Verlauf</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="36"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="39"/>
        <source>MoE layer whose expert load is shown</source>
        <translation>MoE-Schicht, deren Expertenlast gezeigt wird</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="200"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="201"/>
        <source>step %1, expert %2
share %3 (ideal %4)
layer %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="218"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="260"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="261"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
</context>
<context>
    <name>moescope::LossChart</name>
    <message>
        <location filename="../views/loss_chart.cpp" line="103"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="107"/>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="109"/>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="116"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="118"/>
        <source>loss (nats)</source>
        <translation>Verlust (nats)</translation>
    </message>
</context>
<context>
    <name>moescope::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="30"/>
        <source>MoE Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="47"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="53"/>
        <source>idle</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="68"/>
        <source>learning rate set to %1</source>
        <translation>Lernrate auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="72"/>
        <source>balance coefficient set to %1</source>
        <translation>Balance-Koeffizient auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="88"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="89"/>
        <source>&amp;Open run log...</source>
        <translation>Laufprotokoll ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="90"/>
        <source>Open run log</source>
        <translation>Laufprotokoll öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="91"/>
        <source>MoE Scope run logs (*.h5);;All files (*)</source>
        <translation>MoE-Scope-Laufprotokolle (*.h5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="96"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="99"/>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="100"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="102"/>
        <source>&amp;Pause / Resume</source>
        <translation>&amp;Pause / Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="103"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="104"/>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="107"/>
        <source>Save &amp;checkpoint...</source>
        <translation>&amp;Checkpoint speichern...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>Save checkpoint</source>
        <translation>Checkpoint speichern</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="110"/>
        <source>Checkpoints (*.pt)</source>
        <translation>Checkpoints (*.pt)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="115"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>&amp;About MoE Scope</source>
        <translation>Ü&amp;ber MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="117"/>
        <source>About MoE Scope</source>
        <translation>Über MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="118"/>
        <source>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Train Mixture-of-Experts models and watch their routers live.&lt;br&gt;Logs: HDF5 (see docs/hdf5-log.md).</source>
        <translation>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Mixture-of-Experts-Modelle trainieren und ihre Router live beobachten.&lt;br&gt;Protokolle: HDF5 (siehe docs/hdf5-log.md).</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="143"/>
        <source>Cannot start</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="168"/>
        <location filename="../app/main_window.cpp" line="242"/>
        <source>stopping...</source>
        <translation>stoppe...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="177"/>
        <source>MoE Scope - %1</source>
        <translation>MoE Scope - %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="178"/>
        <source>logging to %1</source>
        <translation>Protokoll: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="185"/>
        <source>step %1 / %2</source>
        <translation>Schritt %1 / %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="186"/>
        <source>%1 tokens/s</source>
        <translation>%1 Tokens/s</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="192"/>
        <source>validation %1 bits/byte</source>
        <translation>Validierung %1 Bit/Byte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="194"/>
        <source>test accuracy %1%</source>
        <translation>Testgenauigkeit %1%</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="204"/>
        <source>Run failed</source>
        <translation>Lauf fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="213"/>
        <source>Run in progress</source>
        <translation>Lauf aktiv</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="213"/>
        <source>Stop the current run before opening a log.</source>
        <translation>Den laufenden Lauf stoppen, bevor ein Protokoll geöffnet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="219"/>
        <source>Cannot open run log</source>
        <translation>Laufprotokoll kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="223"/>
        <source>replaying %1</source>
        <translation>Wiedergabe von %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="236"/>
        <source>replay</source>
        <translation>Wiedergabe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="237"/>
        <source>MoE Scope - %1 (replay)</source>
        <translation>MoE Scope - %1 (Wiedergabe)</translation>
    </message>
</context>
<context>
    <name>moescope::RunControls</name>
    <message>
        <location filename="../app/run_controls.cpp" line="18"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>lm-fortunes: byte-level MoE language model on multilingual fortunes
vision-fmnist: MoE image classifier on Fashion-MNIST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="26"/>
        <source>auto picks the CUDA GPU when LibTorch sees one</source>
        <translation>auto wählt die CUDA-GPU, wenn LibTorch eine findet</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="30"/>
        <source>&amp;Preset</source>
        <translation>&amp;Voreinstellung</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="31"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="32"/>
        <source>S&amp;teps</source>
        <translation>S&amp;chritte</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="36"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="37"/>
        <location filename="../app/run_controls.cpp" line="116"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="38"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="39"/>
        <source>Start a new run (F5)</source>
        <translation>Neuen Lauf starten (F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="40"/>
        <source>Pause or resume between steps (F6)</source>
        <translation>Zwischen Schritten pausieren oder fortsetzen (F6)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="41"/>
        <source>Stop the run; the log is flushed and closed (Shift+F5)</source>
        <translation>Lauf stoppen; das Protokoll wird geschrieben und geschlossen (Umschalt+F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="45"/>
        <source>Live hyper-parameters</source>
        <translation>Live-Hyperparameter</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="52"/>
        <source>Peak learning rate; warm-up and cosine decay still scale it</source>
        <translation>Maximale Lernrate; Aufwärmphase und Kosinus-Abfall skalieren sie weiterhin</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="58"/>
        <source>Coefficient of the load-balancing auxiliary loss (0 = off)</source>
        <translation>Koeffizient des Lastausgleichs-Hilfsverlusts (0 = aus)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="59"/>
        <source>&amp;Learning rate</source>
        <translation>&amp;Lernrate</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="60"/>
        <source>&amp;Balance coef.</source>
        <translation>&amp;Balance-Koeff.</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="116"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="125"/>
        <source>%1
%2 M parameters, %3 M active per token</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
