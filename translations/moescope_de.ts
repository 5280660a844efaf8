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
    <name>moescope::AlertTableModel</name>
    <message>
        <location filename="../views/alert_table_model.cpp" line="17"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="18"/>
        <source>balance coefficient</source>
        <translation>Balance-Koeffizient</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="19"/>
        <source>bias balancing</source>
        <translation>Bias-Balancierung</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="20"/>
        <source>bias update rate</source>
        <translation>Bias-Schrittweite</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="21"/>
        <source>router temperature</source>
        <translation>Router-Temperatur</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="22"/>
        <source>capacity factor</source>
        <translation>Kapazitätsfaktor</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="23"/>
        <source>re-initialised experts</source>
        <translation>neu initialisierte Experten</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="32"/>
        <source>dead expert</source>
        <translation>toter Experte</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="34"/>
        <source>dominant expert</source>
        <translation>dominanter Experte</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="36"/>
        <source>entropy collapse</source>
        <translation>Entropie-Kollaps</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="38"/>
        <source>representation collapse</source>
        <translation>Repräsentations-Kollaps</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="40"/>
        <source>rising drops</source>
        <translation>steigende Verwerfungen</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="48"/>
        <source>%1 on</source>
        <translation>%1 an</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="49"/>
        <source>%1 off</source>
        <translation>%1 aus</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="60"/>
        <source>, … (+%1 more)</source>
        <translation>, … (+%1 weitere)</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="75"/>
        <source>%1 at step %2, layer %3</source>
        <translation>%1 bei Schritt %2, Schicht %3</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="76"/>
        <source>
experts %1</source>
        <translation>
Experten %1</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="79"/>
        <source>
measured %1, threshold %2</source>
        <translation>
gemessen %1, Schwelle %2</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="92"/>
        <source>you changed %1 at step %2</source>
        <translation>Sie haben %1 bei Schritt %2 geändert</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="173"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="175"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="177"/>
        <source>Alert / change</source>
        <translation>Alarm / Änderung</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="179"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="181"/>
        <source>Evidence</source>
        <translation>Befund</translation>
    </message>
</context>
<context>
    <name>moescope::AlertsPanel</name>
    <message>
        <location filename="../views/alerts_panel.cpp" line="36"/>
        <source>Activate a row to show its layer and step in the other views</source>
        <translation>Eine Zeile aktivieren, um ihre Schicht und ihren Schritt in den anderen Ansichten zu zeigen</translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="83"/>
        <source>Alerts: none so far</source>
        <translation>Alarme: bisher keine</translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="86"/>
        <source>Alerts: %1   Interventions: %2</source>
        <translation>Alarme: %1   Eingriffe: %2</translation>
    </message>
</context>
<context>
    <name>moescope::GatingView</name>
    <message>
        <location filename="../views/gating_view.cpp" line="38"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="51"/>
        <source>Gating</source>
        <translation>Gating</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="59"/>
        <source>MoE layer whose gates are shown</source>
        <translation>MoE-Schicht, deren Gates gezeigt werden</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="160"/>
        <location filename="../views/gating_view.cpp" line="248"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="162"/>
        <source>step %1, following live</source>
        <translation>Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="164"/>
        <source>at step %1 (live: step %2)</source>
        <translation>bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="259"/>
        <source>Gate weights</source>
        <translation>Gate-Gewichte</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="260"/>
        <source>all dispatched gates</source>
        <translation>alle verteilten Gates</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="261"/>
        <source>top-1 gate</source>
        <translation>Top-1-Gate</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="269"/>
        <source>no gate histogram in this snapshot</source>
        <translation>kein Gate-Histogramm in diesem Schnappschuss</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="283"/>
        <source>gate weight</source>
        <translation>Gate-Gewicht</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="292"/>
        <source>Experts per token (mean %1)</source>
        <translation>Experten pro Token (Mittel %1)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="293"/>
        <source>Experts per token</source>
        <translation>Experten pro Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="300"/>
        <source>no k histogram in this snapshot</source>
        <translation>kein k-Histogramm in diesem Schnappschuss</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="307"/>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="310"/>
        <source>experts per token (k)</source>
        <translation>Experten pro Token (k)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="319"/>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="322"/>
        <source>other layers (range)</source>
        <translation>andere Schichten (Bereich)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="322"/>
        <source>other layers</source>
        <translation>andere Schichten</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="324"/>
        <source>Gate entropy / log E</source>
        <translation>Gate-Entropie / log E</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="324"/>
        <source>Dropped at capacity</source>
        <translation>Bei Kapazität verworfen</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="370"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="385"/>
        <source>gate weight %1–%2</source>
        <translation>Gate-Gewicht %1–%2</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="386"/>
        <source>
all dispatched gates %1</source>
        <translation>
alle verteilten Gates %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="387"/>
        <source>
top-1 gate %1</source>
        <translation>
Top-1-Gate %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="397"/>
        <source>%1 or more experts: %2 of tokens</source>
        <translation>%1 oder mehr Experten: %2 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="398"/>
        <source>1 expert: %1 of tokens</source>
        <translation>1 Experte: %1 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="399"/>
        <source>%1 experts: %2 of tokens</source>
        <translation>%1 Experten: %2 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="411"/>
        <source>step %1, layer %2: %3 dropped</source>
        <translation>Schritt %1, Schicht %2: %3 verworfen</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="417"/>
        <source>step %1, layer %2: entropy n/a</source>
        <translation>Schritt %1, Schicht %2: Entropie k. A.</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="418"/>
        <source>step %1, layer %2: entropy %3 nats (%4 of log E)</source>
        <translation>Schritt %1, Schicht %2: Entropie %3 nats (%4 von log E)</translation>
    </message>
</context>
<context>
    <name>moescope::HeatmapWidget</name>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="134"/>
        <location filename="../views/heatmap_widget.cpp" line="137"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="160"/>
        <source>Expert load: waiting for routing data</source>
        <translation>Expertenlast: warte auf Routing-Daten</translation>
    </message>
    <message>
        <source>Expert load at step %1</source>
        <translation type="vanished">Expertenlast bei Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="139"/>
        <source>layer %1, expert %2
share %3 (ideal %4)
utilisation %5</source>
        <translation>Schicht %1, Experte %2
Anteil %3 (ideal %4)
Auslastung %5</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="147"/>
        <source>
bias %1</source>
        <translation>
Bias %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="149"/>
        <source>
step %1</source>
        <translation>
Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="162"/>
        <source>Expert load at step %1, following live</source>
        <translation>Expertenlast bei Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="163"/>
        <source>Expert load at step %1 (live: step %2)</source>
        <translation>Expertenlast bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="206"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="207"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
</context>
<context>
    <name>moescope::LayerBox</name>
    <message>
        <location filename="../views/layer_box.cpp" line="14"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
</context>
<context>
    <name>moescope::LoadTimelineWidget</name>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="31"/>
        <source>Expert load over time</source>
        <translation>Expertenlast im Verlauf</translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="vanished">Schicht</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="40"/>
        <source>MoE layer whose expert load is shown</source>
        <translation>MoE-Schicht, deren Expertenlast gezeigt wird</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="188"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="189"/>
        <source>step %1, expert %2
share %3 (ideal %4)
layer %5</source>
        <translation>Schritt %1, Experte %2
Anteil %3 (ideal %4)
Schicht %5</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="206"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="284"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="285"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
</context>
<context>
    <name>moescope::LossChart</name>
    <message>
        <location filename="../views/loss_chart.cpp" line="138"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="142"/>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="144"/>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="151"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="153"/>
        <source>loss (nats)</source>
        <translation>Verlust (nats)</translation>
    </message>
</context>
<context>
    <name>moescope::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="37"/>
        <source>MoE Scope</source>
        <translation>MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="75"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="76"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="77"/>
        <source>Routing trajectories</source>
        <translation>Routing-Pfade</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="78"/>
        <source>Probe tokens</source>
        <translation>Probe-Token</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="85"/>
        <source>idle</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="100"/>
        <source>learning rate set to %1</source>
        <translation>Lernrate auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="103"/>
        <source>balance coefficient set to %1</source>
        <translation>Balance-Koeffizient auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="106"/>
        <source>router temperature set to %1</source>
        <translation>Router-Temperatur auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>routing is dropless</source>
        <translation>Routing verwirft nichts</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>capacity factor set to %1</source>
        <translation>Kapazitätsfaktor auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>aux-loss-free bias balancing on, rate %1</source>
        <translation>verlustfreie Bias-Balancierung an, Schrittweite %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="113"/>
        <source>aux-loss-free bias balancing off</source>
        <translation>verlustfreie Bias-Balancierung aus</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>re-initialising dead experts after this step</source>
        <translation>tote Experten werden nach diesem Schritt neu initialisiert</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="154"/>
        <source>showing step %1%2 (Esc: follow the run)</source>
        <translation>zeige Schritt %1%2 (Esc: dem Lauf folgen)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="156"/>
        <source>, layer %1</source>
        <translation>, Schicht %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="163"/>
        <source>alert: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="179"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="180"/>
        <source>&amp;Open run log...</source>
        <translation>Laufprotokoll ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="181"/>
        <source>Open run log</source>
        <translation>Laufprotokoll öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="182"/>
        <source>MoE Scope run logs (*.h5);;All files (*)</source>
        <translation>MoE-Scope-Laufprotokolle (*.h5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="187"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="190"/>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="191"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="193"/>
        <source>&amp;Pause / Resume</source>
        <translation>&amp;Pause / Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="194"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="195"/>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="198"/>
        <source>Save &amp;checkpoint...</source>
        <translation>&amp;Checkpoint speichern...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="200"/>
        <source>Save checkpoint</source>
        <translation>Checkpoint speichern</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="201"/>
        <source>Checkpoints (*.pt)</source>
        <translation>Checkpoints (*.pt)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="206"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="207"/>
        <source>&amp;Follow the run</source>
        <translation>Dem Lauf &amp;folgen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="215"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="216"/>
        <source>&amp;About MoE Scope</source>
        <translation>Ü&amp;ber MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="217"/>
        <source>About MoE Scope</source>
        <translation>Über MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="218"/>
        <source>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Train Mixture-of-Experts models and watch their routers live.&lt;br&gt;Logs: HDF5 (see docs/hdf5-log.md).</source>
        <translation>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Mixture-of-Experts-Modelle trainieren und ihre Router live beobachten.&lt;br&gt;Protokolle: HDF5 (siehe docs/hdf5-log.md).</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="252"/>
        <source>Cannot start</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="277"/>
        <location filename="../app/main_window.cpp" line="362"/>
        <source>stopping...</source>
        <translation>stoppe...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="290"/>
        <source>MoE Scope - %1</source>
        <translation>MoE Scope - %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="291"/>
        <source>logging to %1</source>
        <translation>Protokoll: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="298"/>
        <source>step %1 / %2</source>
        <translation>Schritt %1 / %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="299"/>
        <source>%1 tokens/s</source>
        <translation>%1 Tokens/s</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="305"/>
        <source>validation %1 bits/byte</source>
        <translation>Validierung %1 Bit/Byte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="307"/>
        <source>test accuracy %1%</source>
        <translation>Testgenauigkeit %1%</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="317"/>
        <source>Run failed</source>
        <translation>Lauf fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="326"/>
        <source>Run in progress</source>
        <translation>Lauf aktiv</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="326"/>
        <source>Stop the current run before opening a log.</source>
        <translation>Den laufenden Lauf stoppen, bevor ein Protokoll geöffnet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="332"/>
        <source>Cannot open run log</source>
        <translation>Laufprotokoll kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="336"/>
        <source>replaying %1</source>
        <translation>Wiedergabe von %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="356"/>
        <source>replay</source>
        <translation>Wiedergabe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357"/>
        <source>MoE Scope - %1 (replay)</source>
        <translation>MoE Scope - %1 (Wiedergabe)</translation>
    </message>
</context>
<context>
    <name>moescope::RunControls</name>
    <message>
        <location filename="../app/run_controls.cpp" line="19"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="23"/>
        <source>lm-fortunes: byte-level MoE language model on multilingual fortunes
vision-fmnist: MoE image classifier on Fashion-MNIST
collapse-demo: lm-fortunes built so its router collapses</source>
        <translation>lm-fortunes: byteweises MoE-Sprachmodell auf mehrsprachigen Fortunes
vision-fmnist: MoE-Bildklassifikator auf Fashion-MNIST
collapse-demo: lm-fortunes, so gebaut, dass sein Router kollabiert</translation>
    </message>
<message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>softmax top-k (Mixtral)</source>
        <translation>Softmax-Top-k (Mixtral)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>raw gates, with capacity</source>
        <translation>rohe Gates, mit Kapazität</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>each expert takes its best tokens</source>
        <translation>jeder Experte wählt seine besten Token</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>fixed token-id map</source>
        <translation>feste Token-ID-Zuordnung</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>all experts, annealed to top-k</source>
        <translation>alle Experten, zu Top-k abgekühlt</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>experts until their probability reaches p</source>
        <translation>Experten, bis ihre Wahrscheinlichkeit p erreicht</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="22"/>
        <source>(docs/routers.md)</source>
        <translation>(docs/routers.md)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="36"/>
        <source>auto picks the CUDA GPU when LibTorch sees one</source>
        <translation>auto wählt die CUDA-GPU, wenn LibTorch eine findet</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="40"/>
        <source>&amp;Preset</source>
        <translation>&amp;Voreinstellung</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="41"/>
        <source>&amp;Router</source>
        <translation>&amp;Router</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="42"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="47"/>
        <source>Pr&amp;ecision</source>
        <translation>Gena&amp;uigkeit</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="38"/>
        <source>auto: bf16 autocast on CUDA, float32 on the CPU
(weights and optimizer state stay float32)</source>
        <translation>auto: bf16-Autocast auf CUDA, float32 auf der CPU
(Gewichte und Optimiererzustand bleiben float32)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="43"/>
        <source>S&amp;teps</source>
        <translation>S&amp;chritte</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="47"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="48"/>
        <location filename="../app/run_controls.cpp" line="186"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="49"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="50"/>
        <source>Start a new run (F5)</source>
        <translation>Neuen Lauf starten (F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="51"/>
        <source>Pause or resume between steps (F6)</source>
        <translation>Zwischen Schritten pausieren oder fortsetzen (F6)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="52"/>
        <source>Stop the run; the log is flushed and closed (Shift+F5)</source>
        <translation>Lauf stoppen; das Protokoll wird geschrieben und geschlossen (Umschalt+F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="56"/>
        <source>Live hyper-parameters</source>
        <translation>Live-Hyperparameter</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="63"/>
        <source>Peak learning rate; warm-up and cosine decay still scale it</source>
        <translation>Maximale Lernrate; Aufwärmphase und Kosinus-Abfall skalieren sie weiterhin</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="69"/>
        <source>Coefficient of the load-balancing auxiliary loss (0 = off)</source>
        <translation>Koeffizient des Lastausgleichs-Hilfsverlusts (0 = aus)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="70"/>
        <source>&amp;Learning rate</source>
        <translation>&amp;Lernrate</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="71"/>
        <source>&amp;Balance coef.</source>
        <translation>&amp;Balance-Koeff.</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="74"/>
        <source>Router interventions</source>
        <translation>Router-Eingriffe</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="81"/>
        <source>Router logits are divided by this; above 1 spreads tokens out</source>
        <translation>Router-Logits werden hierdurch geteilt; über 1 verteilt die Token breiter</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="87"/>
        <source>dropless</source>
        <translation>verlustfrei</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="88"/>
        <source>Slots per expert = factor x tokens x k / experts; tokens beyond are dropped</source>
        <translation>Plätze pro Experte = Faktor x Token x k / Experten; darüber hinaus wird verworfen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="89"/>
        <source>&amp;Aux-loss-free bias</source>
        <translation>Verlustfreier &amp;Bias</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="90"/>
        <source>Per-expert selection bias moved towards equal load every step (DeepSeek-V3)</source>
        <translation>Auswahl-Bias pro Experte, jeden Schritt Richtung gleicher Last verschoben (DeepSeek-V3)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="96"/>
        <source>Bias step per update; about 0.01 for softmax scores, larger oscillates</source>
        <translation>Bias-Schritt pro Aktualisierung; etwa 0,01 für Softmax-Scores, größer schwingt</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="97"/>
        <source>Re-init &amp;dead experts</source>
        <translation>&amp;Tote Experten neu initialisieren</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="98"/>
        <source>Experts under 5% of their fair share become noisy copies of the layer&apos;s busiest expert, with its router row (Ctrl+R)</source>
        <translation>Experten unter 5% ihres fairen Anteils werden verrauschte Kopien des meistbeschäftigten Experten der Schicht, mit dessen Router-Zeile (Strg+R)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="100"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="101"/>
        <source>&amp;Temperature</source>
        <translation>&amp;Temperatur</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="102"/>
        <source>&amp;Capacity factor</source>
        <translation>&amp;Kapazitätsfaktor</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="104"/>
        <source>Bias &amp;rate</source>
        <translation>Bias-&amp;Schrittweite</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="186"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="196"/>
        <source>%1
%2 M parameters, %3 M active per token</source>
        <translation>%1
%2 M Parameter, %3 M aktiv pro Token</translation>
    </message>
</context>
<context>
    <name>moescope::TokenView</name>
    <message>
        <location filename="../views/token_view.cpp" line="26"/>
        <source>dropped: %1</source>
        <translation>verworfen: %1</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="27"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="40"/>
        <source>Probe tokens</source>
        <translation>Probe-Token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="48"/>
        <source>MoE layer whose top-1 experts colour the tokens</source>
        <translation>MoE-Schicht, deren Top-1-Experten die Token färben</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="135"/>
        <source>waiting for probe-token routing</source>
        <translation>warte auf das Routing der Probe-Token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="137"/>
        <source>top-1 expert per token, step %1, following live</source>
        <translation>Top-1-Experte pro Token, Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="139"/>
        <source>top-1 expert per token, at step %1 (live: step %2)</source>
        <translation>Top-1-Experte pro Token, bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="165"/>
        <source>&apos;%1&apos; (byte 0x%2) at position %3</source>
        <translation>&apos;%1&apos; (Byte 0x%2) an Position %3</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="170"/>
        <source>patch %1 (row %2, column %3)</source>
        <translation>Patch %1 (Zeile %2, Spalte %3)</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="181"/>
        <source>
expert %1: %2</source>
        <translation>
Experte %1: %2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="186"/>
        <source>
dropped</source>
        <translation>
verworfen</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="201"/>
        <location filename="../views/token_view.cpp" line="328"/>
        <source>top-1 expert: tokens</source>
        <translation>Top-1-Experte: Token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="300"/>
        <source>waiting for the run&apos;s probe tokens</source>
        <translation>warte auf die Probe-Token des Laufs</translation>
    </message>
</context>
<context>
    <name>moescope::TrajectoryView</name>
    <message>
        <location filename="../views/trajectory_view.cpp" line="28"/>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="28"/>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="35"/>
        <source>Routing trajectories</source>
        <translation>Routing-Pfade</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="102"/>
        <location filename="../views/trajectory_view.cpp" line="213"/>
        <source>waiting for probe-token routing</source>
        <translation>warte auf das Routing der Probe-Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="110"/>
        <source>top-1 expert of %1 probe tokens per layer</source>
        <translation>Top-1-Experte von %1 Probe-Token pro Schicht</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="111"/>
        <source>%1, step %2, following live</source>
        <translation>%1, Schritt %2, folgt dem Lauf</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="112"/>
        <source>%1, at step %2 (live: step %3)</source>
        <translation>%1, bei Schritt %2 (live: Schritt %3)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="150"/>
        <location filename="../views/trajectory_view.cpp" line="239"/>
        <source>dropped</source>
        <translation>verworfen</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="154"/>
        <source>expert %1 (%2)</source>
        <translation>Experte %1 (%2)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="155"/>
        <source>expert %1</source>
        <translation>Experte %1</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="170"/>
        <source>layer %1 %2: %3 (%4)</source>
        <translation>Schicht %1 %2: %3 (%4)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="178"/>
        <source>layer %1 %2 → layer %3 %4: %5</source>
        <translation>Schicht %1 %2 → Schicht %3 %4: %5</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="254"/>
        <source>layer (node: top-1 expert, band: tokens)</source>
        <translation>Schicht (Knoten: Top-1-Experte, Band: Token)</translation>
    </message>
</context>
</TS>
