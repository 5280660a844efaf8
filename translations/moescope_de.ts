<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../views/figure.cpp" line="55"/>
        <source>%1: a figure is written as .png, .svg or .pdf</source>
        <translation>%1: eine Abbildung wird als .png, .svg oder .pdf geschrieben</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="58"/>
        <source>%1: a figure of %2 x %3 in is outside 0.5 .. 100 in</source>
        <translation>%1: eine Abbildung von %2 x %3 Zoll liegt außerhalb von 0,5 .. 100 Zoll</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="61"/>
        <source>%1: %2 DPI is outside 30 .. 2400</source>
        <translation>%1: %2 DPI liegt außerhalb von 30 .. 2400</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="69"/>
        <location filename="../views/figure.cpp" line="127"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="77"/>
        <source>%1: not enough memory for a figure of that size</source>
        <translation>%1: nicht genug Speicher für eine Abbildung dieser Größe</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="98"/>
        <source>MoE Scope figure</source>
        <translation>Abbildung von MoE Scope</translation>
    </message>
    <message>
        <location filename="../views/figure.cpp" line="125"/>
        <source>cannot write %1: the figure could not be painted</source>
        <translation>%1 kann nicht geschrieben werden: die Abbildung ließ sich nicht zeichnen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui_main.cpp" line="47"/>
        <source>Train Mixture-of-Experts models and watch their routers live.</source>
        <translation>Mixture-of-Experts-Modelle trainieren und ihre Router live beobachten.</translation>
    </message>
    <message>
        <source>Preset to select (lm-fortunes, vision-fmnist).</source>
        <translation type="vanished">Voreinstellung (lm-fortunes, vision-fmnist).</translation>
    </message>
    <message>
        <source>Preset to select (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo).</source>
        <translation type="vanished">Voreinstellung (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="51"/>
        <source>Preset to select (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo; default: the last one started).</source>
        <translation>Voreinstellung (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo; Standard: die zuletzt gestartete).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="53"/>
        <source>Training steps.</source>
        <translation>Trainingsschritte.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="54"/>
        <source>auto, cpu or cuda.</source>
        <translation>auto, cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="55"/>
        <source>Start training at once.</source>
        <translation>Training sofort starten.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="56"/>
        <source>HDF5 log of the first run.</source>
        <translation>HDF5-Protokoll des ersten Laufs.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="57"/>
        <source>Open a run log instead of training.</source>
        <translation>Ein Laufprotokoll öffnen statt zu trainieren.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="59"/>
        <source>Open a checkpoint as a paused run (surgery, then Resume to fine-tune).</source>
        <translation>Einen Checkpoint als angehaltenen Lauf öffnen (Chirurgie, dann Fortsetzen zum Feinabstimmen).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="62"/>
        <source>A run log to compare side by side (give it two times or more).</source>
        <translation>Ein Laufprotokoll zum Vergleich nebeneinander (zwei- oder mehrmals angeben).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="65"/>
        <source>Raise this dock at start: run, alerts, trajectories, tokens, surgery, modality, runs or recipes.</source>
        <translation>Dieses Dock beim Start nach vorn holen: run, alerts, trajectories, tokens, surgery, modality, runs oder recipes.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="68"/>
        <source>Open a Hugging Face MoE model folder and run --text through it.</source>
        <translation>Einen Hugging-Face-MoE-Modellordner öffnen und --text hindurchschicken.</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="71"/>
        <source>A text file for --open-model (repeatable; each file a domain).</source>
        <translation>Eine Textdatei für --open-model (wiederholbar; jede Datei eine Domäne).</translation>
    </message>
    <message>
        <location filename="../app/gui_main.cpp" line="75"/>
        <source>A run log (.h5) or a checkpoint (.pt) to open, as the desktop passes it.</source>
        <translation>Ein Laufprotokoll (.h5) oder ein Checkpoint (.pt) zum Öffnen, wie ihn der Desktop übergibt.</translation>
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
        <location filename="../views/alert_table_model.cpp" line="24"/>
        <source>expert surgery</source>
        <translation>Experten-Chirurgie</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="25"/>
        <source>surgery undone</source>
        <translation>Chirurgie rückgängig gemacht</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="34"/>
        <source>dead expert</source>
        <translation>toter Experte</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="36"/>
        <source>dominant expert</source>
        <translation>dominanter Experte</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="38"/>
        <source>entropy collapse</source>
        <translation>Entropie-Kollaps</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="40"/>
        <source>representation collapse</source>
        <translation>Repräsentations-Kollaps</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="42"/>
        <source>rising drops</source>
        <translation>steigende Verwerfungen</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="44"/>
        <source>log write failed</source>
        <translation>Schreiben des Protokolls fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="52"/>
        <source>%1 on</source>
        <translation>%1 an</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="53"/>
        <source>%1 off</source>
        <translation>%1 aus</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="56"/>
        <source>%1 → %2 experts</source>
        <translation>%1 → %2 Experten</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="66"/>
        <source>, … (+%1 more)</source>
        <translation>, … (+%1 weitere)</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="82"/>
        <source>%1 at step %2, layer %3</source>
        <translation>%1 bei Schritt %2, Schicht %3</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="83"/>
        <source>%1 at step %2</source>
        <translation>%1 bei Schritt %2</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="84"/>
        <source>
experts %1</source>
        <translation>
Experten %1</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="87"/>
        <source>
measured %1, threshold %2</source>
        <translation>
gemessen %1, Schwelle %2</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="100"/>
        <source>you changed %1 at step %2</source>
        <translation>Sie haben %1 bei Schritt %2 geändert</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="181"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="183"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="185"/>
        <source>Alert / change</source>
        <translation>Alarm / Änderung</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="187"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../views/alert_table_model.cpp" line="189"/>
        <source>Evidence</source>
        <translation>Befund</translation>
    </message>
</context>
<context>
    <name>moescope::AlertsPanel</name>
    <message>
        <location filename="../views/alerts_panel.cpp" line="52"/>
        <source>Activate a row to show its layer and step in the other views</source>
        <translation>Eine Zeile aktivieren, um ihre Schicht und ihren Schritt in den anderen Ansichten zu zeigen</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/alerts_panel.cpp" line="163"/>
        <source>... and %n more row(s)</source>
        <translation>
            <numerusform>... und %n weitere Zeile</numerusform>
            <numerusform>... und %n weitere Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="169"/>
        <source>Alerts: none so far</source>
        <translation>Alarme: bisher keine</translation>
    </message>
    <message>
        <location filename="../views/alerts_panel.cpp" line="172"/>
        <source>Alerts: %1   Interventions: %2</source>
        <translation>Alarme: %1   Eingriffe: %2</translation>
    </message>
</context>
<context>
    <name>moescope::CompareWindow</name>
    <message>
        <location filename="../app/compare_window.cpp" line="49"/>
        <source>&amp;Log scale</source>
        <translation>&amp;Logarithmische Skala</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="56"/>
        <source>Compare runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="59"/>
        <source>by step</source>
        <translation>nach Schritt</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="60"/>
        <source>by tokens seen</source>
        <translation>nach gesehenen Tokens</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="61"/>
        <source>The loss chart&apos;s x axis: optimiser steps, or tokens seen (runs of other batch sizes line up by data)</source>
        <translation>Die x-Achse des Verlustdiagramms: Optimiererschritte oder gesehene Tokens (Läufe mit anderen Batchgrößen liegen dann nach Daten übereinander)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="65"/>
        <source>A logarithmic loss axis</source>
        <translation>Eine logarithmische Verlustachse</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="67"/>
        <source>The step every run&apos;s heatmap and the difference show (Esc: each run&apos;s newest)</source>
        <translation>Der Schritt, den die Heatmap jedes Laufs und die Differenz zeigen (Esc: jeweils der neueste)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="70"/>
        <source>&amp;Newest</source>
        <translation>&amp;Neuester</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="71"/>
        <source>Show each run&apos;s newest step, following runs still being written (Esc)</source>
        <translation>Den neuesten Schritt jedes Laufs zeigen und noch geschriebenen Läufen folgen (Esc)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="73"/>
        <source>Run A of the difference A − B</source>
        <translation>Lauf A der Differenz A − B</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="74"/>
        <source>Run B of the difference A − B</source>
        <translation>Lauf B der Differenz A − B</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="79"/>
        <source>Loss:</source>
        <translation>Verlust:</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="83"/>
        <source>Step:</source>
        <translation>Schritt:</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="85"/>
        <location filename="../app/compare_window.cpp" line="278"/>
        <source>newest of each run</source>
        <translation>neuester jedes Laufs</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="89"/>
        <source>Difference:</source>
        <translation>Differenz:</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="99"/>
        <source>The config keys whose values differ between the runs</source>
        <translation>Die Konfigurationsschlüssel, deren Werte sich zwischen den Läufen unterscheiden</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="128"/>
        <source>Export &amp;figure...</source>
        <translation>Abbildung &amp;exportieren...</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="172"/>
        <source>Compare runs: %1</source>
        <translation>Läufe vergleichen: %1</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="199"/>
        <source>%1 runs: the loss chart and the config table show all, the heatmaps the first %2.</source>
        <translation>%1 Läufe: Verlustdiagramm und Konfigurationstabelle zeigen alle, die Heatmaps die ersten %2.</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="240"/>
        <source>Config diff: %1</source>
        <translation>Konfigurationsvergleich: %1</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="249"/>
        <source>(absent)</source>
        <translation>(fehlt)</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="257"/>
        <source>config</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="258"/>
        <source>the same in every run</source>
        <translation>in allen Läufen gleich</translation>
    </message>
    <message>
        <location filename="../app/compare_window.cpp" line="278"/>
        <source>step %1</source>
        <translation>Schritt %1</translation>
    </message>
</context>
<context>
    <name>moescope::ExportFigureDialog</name>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="30"/>
        <location filename="../app/export_figure_dialog.cpp" line="86"/>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="36"/>
        <source> in</source>
        <translation> Zoll</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="38"/>
        <source>3.3 in: one column of a two-column paper; 6.9 in: both columns</source>
        <translation>3,3 Zoll: eine Spalte eines zweispaltigen Artikels; 6,9 Zoll: beide Spalten</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="41"/>
        <source>Pixels per inch of a PNG; SVG and PDF are vector, their curves decimated to this resolution</source>
        <translation>Pixel pro Zoll eines PNG; SVG und PDF sind Vektorgrafik, ihre Kurven auf diese Auflösung ausgedünnt</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="42"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="46"/>
        <source>The suffix chooses the format: .png, .svg or .pdf</source>
        <translation>Die Endung wählt das Format: .png, .svg oder .pdf</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="49"/>
        <source>&amp;View</source>
        <translation>An&amp;sicht</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="50"/>
        <source>&amp;File</source>
        <translation>Da&amp;tei</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="51"/>
        <source>&amp;Width</source>
        <translation>&amp;Breite</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="52"/>
        <source>&amp;Height</source>
        <translation>&amp;Höhe</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="53"/>
        <source>&amp;DPI (PNG)</source>
        <translation>&amp;DPI (PNG)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>SVG, vector (*.svg)</source>
        <translation>SVG, Vektor (*.svg)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>PDF, vector (*.pdf)</source>
        <translation>PDF, Vektor (*.pdf)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="84"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../app/export_figure_dialog.cpp" line="104"/>
        <source>Cannot export the figure</source>
        <translation>Die Abbildung kann nicht exportiert werden</translation>
    </message>
</context>
<context>
    <name>moescope::GatingView</name>
    <message>
        <location filename="../views/gating_view.cpp" line="42"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="54"/>
        <source>Gating</source>
        <translation>Gating</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="54"/>
        <source>MoE layer whose gates are shown</source>
        <translation>MoE-Schicht, deren Gates gezeigt werden</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="90"/>
        <location filename="../views/gating_view.cpp" line="173"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <source>step %1, following live</source>
        <translation type="vanished">Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <source>at step %1 (live: step %2)</source>
        <translation type="vanished">bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="184"/>
        <source>Gate weights</source>
        <translation>Gate-Gewichte</translation>
    </message>
    <message>
        <source>all dispatched gates</source>
        <translation type="vanished">alle verteilten Gates</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="185"/>
        <source>all gates</source>
        <translation>alle Gates</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="186"/>
        <source>top-1 gate</source>
        <translation>Top-1-Gate</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="194"/>
        <source>no gate histogram in this snapshot</source>
        <translation>kein Gate-Histogramm in diesem Schnappschuss</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="208"/>
        <source>gate weight</source>
        <translation>Gate-Gewicht</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="217"/>
        <source>Experts per token (mean %1)</source>
        <translation>Experten pro Token (Mittel %1)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="218"/>
        <source>Experts per token</source>
        <translation>Experten pro Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="225"/>
        <source>no k histogram in this snapshot</source>
        <translation>kein k-Histogramm in diesem Schnappschuss</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="235"/>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="236"/>
        <source>experts per token (k)</source>
        <translation>Experten pro Token (k)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="245"/>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="248"/>
        <source>other layers (range)</source>
        <translation>andere Schichten (Bereich)</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="248"/>
        <source>other layers</source>
        <translation>andere Schichten</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="250"/>
        <source>Gate entropy / log E</source>
        <translation>Gate-Entropie / log E</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="250"/>
        <source>Dropped at capacity</source>
        <translation>Bei Kapazität verworfen</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="297"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="312"/>
        <source>gate weight %1–%2</source>
        <translation>Gate-Gewicht %1–%2</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="313"/>
        <source>
all dispatched gates %1</source>
        <translation>
alle verteilten Gates %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="314"/>
        <source>
top-1 gate %1</source>
        <translation>
Top-1-Gate %1</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="324"/>
        <source>%1 or more experts: %2 of tokens</source>
        <translation>%1 oder mehr Experten: %2 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="325"/>
        <source>1 expert: %1 of tokens</source>
        <translation>1 Experte: %1 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="326"/>
        <source>%1 experts: %2 of tokens</source>
        <translation>%1 Experten: %2 der Token</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="338"/>
        <source>step %1, layer %2: %3 dropped</source>
        <translation>Schritt %1, Schicht %2: %3 verworfen</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="344"/>
        <source>step %1, layer %2: entropy n/a</source>
        <translation>Schritt %1, Schicht %2: Entropie k. A.</translation>
    </message>
    <message>
        <location filename="../views/gating_view.cpp" line="345"/>
        <source>step %1, layer %2: entropy %3 nats (%4 of log E)</source>
        <translation>Schritt %1, Schicht %2: Entropie %3 nats (%4 von log E)</translation>
    </message>
</context>
<context>
    <name>moescope::HeatmapWidget</name>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="117"/>
        <location filename="../views/heatmap_widget.cpp" line="124"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="147"/>
        <source>Expert load: waiting for routing data</source>
        <translation>Expertenlast: warte auf Routing-Daten</translation>
    </message>
    <message>
        <source>Expert load at step %1</source>
        <translation type="vanished">Expertenlast bei Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="126"/>
        <source>layer %1, expert %2
share %3 (ideal %4)
utilisation %5</source>
        <translation>Schicht %1, Experte %2
Anteil %3 (ideal %4)
Auslastung %5</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="134"/>
        <source>
bias %1</source>
        <translation>
Bias %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="136"/>
        <source>
step %1</source>
        <translation>
Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="149"/>
        <source>Expert load, %1</source>
        <translation>Expertenlast, %1</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="152"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Expert load at step %1, following live</source>
        <translation type="vanished">Expertenlast bei Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <source>Expert load at step %1 (live: step %2)</source>
        <translation type="vanished">Expertenlast bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="193"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/heatmap_widget.cpp" line="194"/>
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
    <name>moescope::LoadDiffView</name>
    <message>
        <location filename="../views/load_diff_view.cpp" line="60"/>
        <source>not comparable cell by cell: %1 has %2 x %3 (layers x experts), %4 has %5 x %6</source>
        <translation>nicht zellenweise vergleichbar: %1 hat %2 x %3 (Schichten x Experten), %4 hat %5 x %6</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="87"/>
        <source>Load difference: %1</source>
        <translation>Lastdifferenz: %1</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="88"/>
        <source>Load difference: waiting for routing data of both runs</source>
        <translation>Lastdifferenz: warte auf Routing-Daten beider Läufe</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="90"/>
        <source>Load share %1 − %2, step %3</source>
        <translation>Lastanteil %1 − %2, Schritt %3</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="91"/>
        <source> (%1 at step %2)</source>
        <translation> (%1 bei Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="108"/>
        <source>layer %1, expert %2
%3 − %4: %5 percentage points</source>
        <translation>Schicht %1, Experte %2
%3 − %4: %5 Prozentpunkte</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="111"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="137"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/load_diff_view.cpp" line="138"/>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
</context>
<context>
    <name>moescope::LoadTimelineWidget</name>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="34"/>
        <source>Expert load over time</source>
        <translation>Expertenlast im Verlauf</translation>
    </message>
    <message>
        <source>layer</source>
        <translation type="vanished">Schicht</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="35"/>
        <source>MoE layer whose expert load is shown</source>
        <translation>MoE-Schicht, deren Expertenlast gezeigt wird</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="129"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="130"/>
        <source>step %1, expert %2
share %3 (ideal %4)
layer %5</source>
        <translation>Schritt %1, Experte %2
Anteil %3 (ideal %4)
Schicht %5</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="156"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="220"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/load_timeline_widget.cpp" line="221"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
</context>
<context>
    <name>moescope::LossChart</name>
    <message>
        <location filename="../views/loss_chart.cpp" line="198"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="202"/>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="203"/>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="212"/>
        <source>loss (nats, log scale)</source>
        <translation>Verlust (nats, logarithmisch)</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="283"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="283"/>
        <source>tokens seen</source>
        <translation>gesehene Tokens</translation>
    </message>
    <message>
        <location filename="../views/loss_chart.cpp" line="210"/>
        <source>loss (nats)</source>
        <translation>Verlust (nats)</translation>
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
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="106"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="107"/>
        <source>Routing trajectories</source>
        <translation>Routing-Pfade</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="108"/>
        <source>Probe tokens</source>
        <translation>Probe-Token</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="115"/>
        <source>Recipes</source>
        <translation>Rezepte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="118"/>
        <source>training the model built by the recipe: %1</source>
        <translation>trainiere das vom Rezept gebaute Modell: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="143"/>
        <location filename="../app/main_window_logs.cpp" line="119"/>
        <location filename="../app/main_window_logs.cpp" line="124"/>
        <source>idle</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="206"/>
        <source>learning rate set to %1</source>
        <translation>Lernrate auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="209"/>
        <source>balance coefficient set to %1</source>
        <translation>Balance-Koeffizient auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="212"/>
        <source>router temperature set to %1</source>
        <translation>Router-Temperatur auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="215"/>
        <source>routing is dropless</source>
        <translation>Routing verwirft nichts</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="215"/>
        <source>capacity factor set to %1</source>
        <translation>Kapazitätsfaktor auf %1 gesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="218"/>
        <source>aux-loss-free bias balancing on, rate %1</source>
        <translation>verlustfreie Bias-Balancierung an, Schrittweite %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="219"/>
        <source>aux-loss-free bias balancing off</source>
        <translation>verlustfreie Bias-Balancierung aus</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="222"/>
        <source>re-initialising dead experts after this step</source>
        <translation>tote Experten werden nach diesem Schritt neu initialisiert</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="307"/>
        <source>showing step %1%2 (Esc: follow the run)</source>
        <translation>zeige Schritt %1%2 (Esc: dem Lauf folgen)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="309"/>
        <source>, layer %1</source>
        <translation>, Schicht %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="400"/>
        <source>running %n text file(s) through %1; then paused: preview surgery, or Resume to fine-tune</source>
        <translation>
            <numerusform>%n Textdatei läuft durch %1; danach pausiert: Eingriff in der Vorschau ansehen oder Fortsetzen zum Feinabstimmen</numerusform>
            <numerusform>%n Textdateien laufen durch %1; danach pausiert: Eingriff in der Vorschau ansehen oder Fortsetzen zum Feinabstimmen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="260"/>
        <source>alert: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>Surgery</source>
        <translation>Chirurgie</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="110"/>
        <source>Modality x expert</source>
        <translation>Modalität x Experte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="166"/>
        <location filename="../app/main_window_menus.cpp" line="43"/>
        <source>Export &amp;figure...</source>
        <translation>&amp;Abbildung exportieren...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="169"/>
        <source>x axis: &amp;tokens seen</source>
        <translation>x-Achse: gesehene &amp;Tokens</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="175"/>
        <source>&amp;Log scale</source>
        <translation>&amp;Logarithmische Skala</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="225"/>
        <source>previewing: %1 %2</source>
        <translation>Vorschau: %1 %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="228"/>
        <source>sweeping: %1 %2</source>
        <translation>Sweep: %1 %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="231"/>
        <source>applying surgery preview %1</source>
        <translation>Chirurgie-Vorschau %1 wird angewendet</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="233"/>
        <source>undoing the surgery</source>
        <translation>Chirurgie wird rückgängig gemacht</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="20"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="21"/>
        <source>&amp;Open run log...</source>
        <translation>Laufprotokoll ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="22"/>
        <location filename="../app/main_window_logs.cpp" line="103"/>
        <source>Open run log</source>
        <translation>Laufprotokoll öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="23"/>
        <source>MoE Scope run logs (*.h5);;All files (*)</source>
        <translation>MoE-Scope-Laufprotokolle (*.h5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="27"/>
        <source>Open &amp;checkpoint...</source>
        <translation>&amp;Checkpoint öffnen...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="28"/>
        <source>Open checkpoint</source>
        <translation>Checkpoint öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="29"/>
        <source>MoE Scope checkpoints (*.pt);;All files (*)</source>
        <translation>MoE-Scope-Checkpoints (*.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="32"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="33"/>
        <source>Open &amp;model...</source>
        <translation>&amp;Modell öffnen …</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="34"/>
        <source>Ctrl+Alt+O</source>
        <translation>Ctrl+Alt+O</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="35"/>
        <source>Open a Hugging Face MoE model folder (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE) and run text through it</source>
        <translation>Einen Hugging-Face-MoE-Modellordner (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE) öffnen und Text hindurchschicken</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="36"/>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="38"/>
        <source>&amp;Log folder...</source>
        <translation>&amp;Log-Ordner...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="39"/>
        <source>Folder for new run logs</source>
        <translation>Ordner für neue Lauf-Logs</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="44"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="45"/>
        <source>The view last clicked as a figure for a paper: PNG, SVG or PDF</source>
        <translation>Die zuletzt angeklickte Ansicht als Abbildung für einen Artikel: PNG, SVG oder PDF</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="46"/>
        <source>Export &amp;data...</source>
        <translation>&amp;Daten exportieren...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="48"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="51"/>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="52"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="54"/>
        <source>&amp;Pause / Resume</source>
        <translation>&amp;Pause / Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="55"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="56"/>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="59"/>
        <source>Save &amp;checkpoint...</source>
        <translation>&amp;Checkpoint speichern...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="61"/>
        <source>Save checkpoint</source>
        <translation>Checkpoint speichern</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="62"/>
        <source>Checkpoints (*.pt)</source>
        <translation>Checkpoints (*.pt)</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="66"/>
        <source>Expert s&amp;urgery...</source>
        <translation>Experten-Chir&amp;urgie...</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="67"/>
        <source>Ctrl+Shift+U</source>
        <translation>Ctrl+Shift+U</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="68"/>
        <source>&amp;Merging recipes...</source>
        <translation>&amp;Modell-Rezepte …</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="69"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="70"/>
        <source>Upcycle, Branch-Train-MiX or merge models, with a preview before training</source>
        <translation>Upcycling, Branch-Train-MiX oder Modelle zusammenführen, mit Vorschau vor dem Training</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="72"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="73"/>
        <source>&amp;Follow the run</source>
        <translation>Dem Lauf &amp;folgen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="78"/>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="79"/>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="82"/>
        <location filename="../app/main_window_menus.cpp" line="97"/>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="82"/>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="83"/>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="93"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="109"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="110"/>
        <source>&amp;User guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="112"/>
        <source>&amp;About MoE Scope</source>
        <translation>Ü&amp;ber MoE Scope</translation>
    </message>
    <message>
        <location filename="../app/main_window_menus.cpp" line="113"/>
        <source>About MoE Scope</source>
        <translation>Über MoE Scope</translation>
    </message>
    <message>
        <source>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Train Mixture-of-Experts models and watch their routers live.&lt;br&gt;Logs: HDF5 (see docs/hdf5-log.md).</source>
        <translation type="vanished">&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Mixture-of-Experts-Modelle trainieren und ihre Router live beobachten.&lt;br&gt;Protokolle: HDF5 (siehe docs/hdf5-log.md).</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="323"/>
        <source>saving a checkpoint to %1</source>
        <translation>speichere einen Checkpoint nach %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="340"/>
        <source>Cannot start</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357"/>
        <source>Stop the current run before opening a checkpoint.</source>
        <translation>Den laufenden Lauf beenden, bevor ein Checkpoint geöffnet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="365"/>
        <source>Cannot open checkpoint</source>
        <translation>Checkpoint kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="350"/>
        <source>opened %1 at step %2, paused: Resume trains to step %3</source>
        <translation>%1 bei Schritt %2 geöffnet, angehalten: Fortsetzen trainiert bis Schritt %3</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="380"/>
        <source>Stop the current run before opening a model.</source>
        <translation>Den laufenden Lauf beenden, bevor ein Modell geöffnet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="389"/>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="408"/>
        <source>Open Hugging Face model folder</source>
        <translation>Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="411"/>
        <source>Text to run through the model (each file a domain)</source>
        <translation>Text, der durch das Modell geht (jede Datei eine Domäne)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="443"/>
        <location filename="../app/main_window_logs.cpp" line="209"/>
        <source>stopping...</source>
        <translation>stoppe...</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="452"/>
        <source>MoE Scope - %1</source>
        <translation>MoE Scope - %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="453"/>
        <source>logging to %1</source>
        <translation>Protokoll: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="459"/>
        <source>step %1 / %2</source>
        <translation>Schritt %1 / %2</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="460"/>
        <source>%1 tokens/s</source>
        <translation>%1 Tokens/s</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="465"/>
        <source>validation %1 bits/byte</source>
        <translation>Validierung %1 Bit/Byte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="467"/>
        <source>caption %1 bits/byte, accuracy %2%</source>
        <translation>Bildunterschrift %1 Bit/Byte, Genauigkeit %2 %</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="471"/>
        <source>test accuracy %1%</source>
        <translation>Testgenauigkeit %1%</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="482"/>
        <source>Run failed</source>
        <translation>Lauf fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="30"/>
        <source>none yet (no run started)</source>
        <translation>noch keines (kein Lauf gestartet)</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="31"/>
        <source>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Train Mixture-of-Experts models and watch their routers live.&lt;br&gt;&lt;br&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%3 (built with %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Devices&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Device in use&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;br&gt;Logs: HDF5 (docs/hdf5-log.md). Settings: %8</source>
        <translation>&lt;b&gt;MoE Scope&lt;/b&gt; %1&lt;br&gt;Mixture-of-Experts-Modelle trainieren und ihren Routern live zusehen.&lt;br&gt;&lt;br&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%3 (gebaut mit %4)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Geräte&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Gerät in Gebrauch&lt;/td&gt;&lt;td&gt;%7&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;br&gt;Logs: HDF5 (docs/hdf5-log.md). Einstellungen: %8</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="153"/>
        <source>Cannot compare</source>
        <translation>Vergleich nicht möglich</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="165"/>
        <source>Comparison cleared</source>
        <translation>Vergleich entfernt</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window_logs.cpp" line="166"/>
        <source>Loss chart: %n other run(s) overlaid</source>
        <translation>
            <numerusform>Verlustdiagramm: %n weiterer Lauf darübergelegt</numerusform>
            <numerusform>Verlustdiagramm: %n weitere Läufe darübergelegt</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="86"/>
        <source>Layout reset</source>
        <translation>Anordnung zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="132"/>
        <source>New run logs go to %1</source>
        <translation>Neue Lauf-Logs gehen nach %1</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="154"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="156"/>
        <source>&amp;Clear list</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="196"/>
        <source>The language changes at the next start of MoE Scope.</source>
        <translation>Die Sprache wechselt beim nächsten Start von MoE Scope.</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="203"/>
        <source>MoE Scope user guide</source>
        <translation>MoE Scope Benutzerhandbuch</translation>
    </message>
    <message>
        <location filename="../app/main_window_desktop.cpp" line="212"/>
        <source>The user guide is not in this build (docs/guide.md).</source>
        <translation>Das Benutzerhandbuch fehlt in diesem Build (docs/guide.md).</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357"/>
        <location filename="../app/main_window.cpp" line="380"/>
        <location filename="../app/main_window_logs.cpp" line="62"/>
        <source>Run in progress</source>
        <translation>Lauf aktiv</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="62"/>
        <source>Stop the current run before opening a log.</source>
        <translation>Den laufenden Lauf stoppen, bevor ein Protokoll geöffnet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="101"/>
        <source>Reading %1...</source>
        <translation>Lese %1 …</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="91"/>
        <source>reading log...</source>
        <translation>lese Protokoll …</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="101"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="120"/>
        <source>Opening %1 cancelled</source>
        <translation>Öffnen von %1 abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="125"/>
        <source>Cannot open run log</source>
        <translation>Laufprotokoll kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="142"/>
        <source>Figure written to %1</source>
        <translation>Abbildung nach %1 geschrieben</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="173"/>
        <location filename="../app/main_window_logs.cpp" line="180"/>
        <location filename="../app/main_window_logs.cpp" line="188"/>
        <source>Export data</source>
        <translation>Daten exportieren</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="173"/>
        <source>Start a run or open a run log first: the tables come from its log.</source>
        <translation>Starten Sie zuerst einen Lauf oder öffnen Sie ein Lauf-Log: die Tabellen kommen aus seinem Log.</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="181"/>
        <source>Table of %1 to write as CSV (columns: moescope-cli export --help):</source>
        <translation>Tabelle von %1, die als CSV geschrieben wird (Spalten: moescope-cli export --help):</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="189"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="194"/>
        <source>%1 rows of %2 written to %3</source>
        <translation>%1 Zeilen von %2 nach %3 geschrieben</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="196"/>
        <source>Cannot export data</source>
        <translation>Daten können nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="204"/>
        <source>replay of %1</source>
        <translation>Wiedergabe von %1</translation>
    </message>
    <message>
        <source>replaying %1</source>
        <translation type="vanished">Wiedergabe von %1</translation>
    </message>
    <message>
        <location filename="../app/main_window_logs.cpp" line="203"/>
        <source>replay</source>
        <translation>Wiedergabe</translation>
    </message>
    <message>
        <source>MoE Scope - %1 (replay)</source>
        <translation type="vanished">MoE Scope - %1 (Wiedergabe)</translation>
    </message>
</context>
<context>
    <name>moescope::ModalityView</name>
    <message>
        <location filename="../views/modality_view.cpp" line="33"/>
        <source>Modality x expert</source>
        <translation>Modalität x Experte</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="34"/>
        <source>MoE layer whose routing the matrix shows (the timeline shows every layer)</source>
        <translation>MoE-Schicht, deren Routing die Matrix zeigt (der Zeitverlauf zeigt alle Schichten)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="35"/>
        <location filename="../views/modality_view.cpp" line="219"/>
        <source>modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="36"/>
        <location filename="../views/modality_view.cpp" line="219"/>
        <source>domain</source>
        <translation>Domäne</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="37"/>
        <source>Rows: the modalities (image, text), or the domains (languages, image classes)</source>
        <translation>Zeilen: die Modalitäten (Bild, Text) oder die Domänen (Sprachen, Bildklassen)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="131"/>
        <source>this run&apos;s snapshots carry no per-modality routing (a log from before they were recorded)</source>
        <translation>die Momentaufnahmen dieses Laufs enthalten kein Routing je Modalität (ein Log aus der Zeit, bevor es aufgezeichnet wurde)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="133"/>
        <source>waiting for routing data</source>
        <translation>warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="136"/>
        <source>layer %1: specialisation %2, %3</source>
        <translation>Schicht %1: Spezialisierung %2, %3</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="138"/>
        <location filename="../views/modality_view.cpp" line="193"/>
        <location filename="../views/modality_view.cpp" line="207"/>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="190"/>
        <source>%1 tokens -&gt; expert %2
%3 of their assignments (ideal %4)
layer %5, step %6</source>
        <translation>%1-Token -&gt; Experte %2
%3 ihrer Zuweisungen (ideal %4)
Schicht %5, Schritt %6</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="204"/>
        <source>step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="207"/>
        <source>
layer %1: %2</source>
        <translation>
Schicht %1: %2</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="220"/>
        <source>Modality x expert: waiting for routing data</source>
        <translation>Modalität x Experte: warte auf Routing-Daten</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="222"/>
        <source>Routed share per %1, layer %2, %3</source>
        <translation>Gerouteter Anteil je %1, Schicht %2, %3</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="232"/>
        <source>Specialisation I(%1; E) / H(%1)</source>
        <translation>Spezialisierung I(%1; E) / H(%1)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="283"/>
        <source>expert (cells: percent of the row&apos;s assignments)</source>
        <translation>Experte (Zellen: Prozent der Zuweisungen der Zeile)</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="303"/>
        <source>shared</source>
        <translation>gemeinsam</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="331"/>
        <source>specialisation</source>
        <translation>Spezialisierung</translation>
    </message>
    <message>
        <location filename="../views/modality_view.cpp" line="343"/>
        <source>step (bold: layer %1; grey: the other layers)</source>
        <translation>Schritt (fett: Schicht %1; grau: die anderen Schichten)</translation>
    </message>
</context>
<context>
    <name>moescope::PaintedView</name>
    <message>
        <location filename="../views/view_base.cpp" line="49"/>
        <source>dense model: nothing routed</source>
        <translation>dichtes Modell: nichts geroutet</translation>
    </message>
    <message>
        <location filename="../views/view_base.cpp" line="107"/>
        <source>, layer %1</source>
        <translation>, Schicht %1</translation>
    </message>
</context>
<context>
    <name>moescope::PlotAxes</name>
    <message>
        <location filename="../views/plot_axes.cpp" line="165"/>
        <source>%1 pp</source>
        <translation>%1 pp</translation>
    </message>
</context>
<context>
    <name>moescope::RecipeDock</name>
    <message>
        <location filename="../app/recipe_dock.cpp" line="54"/>
        <source>checkpoint (.pt)</source>
        <translation>Checkpoint (.pt)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="57"/>
        <location filename="../app/recipe_dock.cpp" line="61"/>
        <source>Choose a checkpoint</source>
        <translation>Checkpoint wählen</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="62"/>
        <source>MoE Scope checkpoints (*.pt);;All files (*)</source>
        <translation>MoE-Scope-Checkpoints (*.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="75"/>
        <source>Upcycle a dense model</source>
        <translation>Dichtes Modell upcyceln</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="76"/>
        <source>Branch-Train-MiX</source>
        <translation>Branch-Train-MiX</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="77"/>
        <source>Merge models in weight space</source>
        <translation>Modelle im Gewichtsraum zusammenführen</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="78"/>
        <source>Upcycle: every expert starts as a copy of the dense FFN (Sparse Upcycling, Drop-Upcycling).
Branch-Train-MiX: one branch of the seed trains per language; their FFNs become the experts.
Merge: linear average, task arithmetic or TIES of models of one architecture.</source>
        <translation>Upcycling: jeder Experte beginnt als Kopie des dichten FFN (Sparse Upcycling, Drop-Upcycling).
Branch-Train-MiX: je Sprache trainiert ein Zweig des Ausgangsmodells; ihre FFNs werden die Experten.
Zusammenführen: lineares Mittel, Task-Arithmetik oder TIES von Modellen einer Architektur.</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="81"/>
        <source>&amp;Recipe</source>
        <translation>&amp;Rezept</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="82"/>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>Dense model</source>
        <translation>Dichtes Modell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="83"/>
        <source>Second model</source>
        <translation>Zweites Modell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="84"/>
        <source>Base model</source>
        <translation>Basismodell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="89"/>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="94"/>
        <source>Experts per token: top-1 of full copies keeps the dense model&apos;s active size, top-2 doubles the FFN&apos;s</source>
        <translation>Experten je Token: Top-1 voller Kopien behält die aktive Größe des dichten Modells, Top-2 verdoppelt die des FFN</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="95"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="101"/>
        <source>Drop-Upcycling: share of each expert&apos;s hidden units re-initialised (0.5 was the paper&apos;s best)</source>
        <translation>Drop-Upcycling: Anteil der neu initialisierten verborgenen Einheiten je Experte (0,5 war der beste Wert der Arbeit)</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="102"/>
        <source>Drop ratio</source>
        <translation>Drop-Anteil</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="107"/>
        <source>Optimizer steps of each branch, on its own language only</source>
        <translation>Optimiererschritte je Zweig, nur auf seiner eigenen Sprache</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="108"/>
        <source>Branch steps</source>
        <translation>Zweigschritte</translation>
    </message>
    <message>
        <source>each branch&apos;s mean hidden state</source>
        <translation type="vanished">mittlerer verborgener Zustand je Zweig</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="111"/>
        <source>mean hidden state per language</source>
        <translation>mittlerer verborgener Zustand je Sprache</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="112"/>
        <source>Each expert&apos;s router row from the mean hidden state of its language&apos;s training text (Branch-Train-MiX: its branch&apos;s, on its language; upcycling: language e mod 4 for expert e), or random</source>
        <translation>Die Router-Zeile jedes Experten aus dem mittleren verborgenen Zustand auf dem Trainingstext seiner Sprache (Branch-Train-MiX: der seines Zweigs auf dessen Sprache; Upcycling: Sprache e mod 4 für Experte e), oder zufällig</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="114"/>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="115"/>
        <source>Router start</source>
        <translation>Router-Start</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="118"/>
        <source>linear average</source>
        <translation>lineares Mittel</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="119"/>
        <source>task arithmetic</source>
        <translation>Task-Arithmetik</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="120"/>
        <source>TIES</source>
        <translation>TIES</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="121"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="127"/>
        <source>Lambda</source>
        <translation>Lambda</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="133"/>
        <source>Density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="135"/>
        <source>Permutation-align to the first model</source>
        <translation>Per Permutation am ersten Modell ausrichten</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="136"/>
        <source>Weight matching: residual channels, attention heads, experts with their router rows, hidden units</source>
        <translation>Weight Matching: Residualkanäle, Attention-Köpfe, Experten mit ihren Router-Zeilen, verborgene Einheiten</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="141"/>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="142"/>
        <source>Build the model and measure it on the held-out text, before any training</source>
        <translation>Das Modell bauen und auf dem zurückgehaltenen Text messen, vor jedem Training</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="143"/>
        <source>Apply and &amp;train</source>
        <translation>Anwenden und &amp;trainieren</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="144"/>
        <source>Open the previewed model as the run and train it</source>
        <translation>Das Modell der Vorschau als Lauf öffnen und trainieren</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="146"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>First model</source>
        <translation>Erstes Modell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="193"/>
        <source>Dense seed</source>
        <translation>Dichtes Ausgangsmodell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="277"/>
        <source>starting...</source>
        <translation>starte …</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="290"/>
        <source>built in %1 s and measured before any training: Apply and train to go on</source>
        <translation>in %1 s gebaut und vor jedem Training gemessen: Anwenden und trainieren, um weiterzumachen</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="305"/>
        <source>cancelling at the next step...</source>
        <translation>breche beim nächsten Schritt ab …</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="315"/>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="324"/>
        <source>FLOPs/token</source>
        <translation>FLOPs/Token</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="325"/>
        <location filename="../app/recipe_dock.cpp" line="357"/>
        <location filename="../app/recipe_dock.cpp" line="367"/>
        <source>bits/byte</source>
        <translation>Bit/Byte</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="325"/>
        <location filename="../app/recipe_dock.cpp" line="357"/>
        <location filename="../app/recipe_dock.cpp" line="367"/>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="337"/>
        <source>dense</source>
        <translation>dicht</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="337"/>
        <source>%1, top-%2</source>
        <translation>%1, Top-%2</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="366"/>
        <source>Held-out %1 on the straight path from the first model to the second (11 points):</source>
        <translation>Zurückgehaltener %1 auf der geraden Strecke vom ersten zum zweiten Modell (11 Punkte):</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="368"/>
        <source>before alignment: %1</source>
        <translation>vor der Ausrichtung: %1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="369"/>
        <source>after alignment: %1</source>
        <translation>nach der Ausrichtung: %1</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="383"/>
        <source>Loss barrier: (1 − α) · first + α · second</source>
        <translation>Verlustbarriere: (1 − α) · erstes + α · zweites</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="408"/>
        <source>before alignment</source>
        <translation>vor der Ausrichtung</translation>
    </message>
    <message>
        <location filename="../app/recipe_dock.cpp" line="409"/>
        <source>after alignment</source>
        <translation>nach der Ausrichtung</translation>
    </message>
</context>
<context>
    <name>moescope::RunControls</name>
    <message>
        <location filename="../app/run_controls.cpp" line="41"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>lm-fortunes: byte-level MoE language model on multilingual fortunes
vision-fmnist: MoE image classifier on Fashion-MNIST
collapse-demo: lm-fortunes built so its router collapses</source>
        <translation type="vanished">lm-fortunes: byteweises MoE-Sprachmodell auf mehrsprachigen Fortunes
vision-fmnist: MoE-Bildklassifikator auf Fashion-MNIST
collapse-demo: lm-fortunes, so gebaut, dass sein Router kollabiert</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="26"/>
        <source>softmax top-k (Mixtral)</source>
        <translation>Softmax-Top-k (Mixtral)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="27"/>
        <source>raw gates, with capacity</source>
        <translation>rohe Gates, mit Kapazität</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="28"/>
        <source>each expert takes its best tokens</source>
        <translation>jeder Experte wählt seine besten Token</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="29"/>
        <source>fixed token-id map</source>
        <translation>feste Token-ID-Zuordnung</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="30"/>
        <source>all experts, annealed to top-k</source>
        <translation>alle Experten, zu Top-k abgekühlt</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="31"/>
        <source>experts until their probability reaches p</source>
        <translation>Experten, bis ihre Wahrscheinlichkeit p erreicht</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="56"/>
        <source>(docs/routers.md)</source>
        <translation>(docs/routers.md)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="71"/>
        <source>auto picks the CUDA GPU when LibTorch sees one</source>
        <translation>auto wählt die CUDA-GPU, wenn LibTorch eine findet</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="79"/>
        <source>&amp;Preset</source>
        <translation>&amp;Voreinstellung</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="80"/>
        <source>&amp;Router</source>
        <translation>&amp;Router</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="82"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="83"/>
        <source>Pr&amp;ecision</source>
        <translation>Gena&amp;uigkeit</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="74"/>
        <source>auto: bf16 autocast on CUDA, float32 on the CPU
(weights and optimizer state stay float32)</source>
        <translation>auto: bf16-Autocast auf CUDA, float32 auf der CPU
(Gewichte und Optimiererzustand bleiben float32)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="45"/>
        <source>lm-fortunes: byte-level MoE language model on multilingual fortunes
vision-fmnist: MoE image classifier on Fashion-MNIST
collapse-demo: lm-fortunes built so its router collapses
fusion-fmnist: early-fusion image + caption MoE (which experts each modality uses)</source>
        <translation>lm-fortunes: byteweises MoE-Sprachmodell auf mehrsprachigen Fortunes
vision-fmnist: MoE-Bildklassifikator auf Fashion-MNIST
collapse-demo: lm-fortunes, so gebaut, dass sein Router kollabiert
fusion-fmnist: Early-Fusion-MoE aus Bild und Bildunterschrift (welche Experten jede Modalität nutzt)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="58"/>
        <source>shared: one pool of experts</source>
        <translation>shared: ein gemeinsamer Expertenpool</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="59"/>
        <source>moma: image and text groups</source>
        <translation>moma: Bild- und Textgruppen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="60"/>
        <source>moiie: groups + cross-modal experts</source>
        <translation>moiie: Gruppen + modalitätsübergreifende Experten</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="61"/>
        <source>mot: + per-modality attention</source>
        <translation>mot: + Attention je Modalität</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="62"/>
        <source>dense: one FFN of the same active size</source>
        <translation>dense: ein FFN derselben aktiven Größe</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="63"/>
        <source>How the fusion model&apos;s experts meet the modalities (fusion presets only; docs/fusion.md):
shared: every token routed among all experts by one router
moma: image tokens routed among image experts, text tokens among text experts
moiie: moma&apos;s groups plus cross-modal experts every token may pick
mot: moma&apos;s groups plus each modality&apos;s own norms and attention projections
dense: a dense SwiGLU FFN of hidden top-k x expert hidden instead of the experts</source>
        <translation>Wie die Experten des Fusionsmodells auf die Modalitäten treffen (nur Fusions-Voreinstellungen; docs/fusion.md):
shared: jedes Token wird von einem Router unter allen Experten geroutet
moma: Bild-Token unter Bildexperten, Text-Token unter Textexperten
moiie: die Gruppen von moma plus modalitätsübergreifende Experten, die jedes Token wählen darf
mot: die Gruppen von moma plus eigene Normen und Attention-Projektionen je Modalität
dense: ein dichtes SwiGLU-FFN mit Hidden top-k x Experten-Hidden statt der Experten</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="81"/>
        <source>E&amp;xpert layout</source>
        <translation>E&amp;xperten-Layout</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="84"/>
        <source>S&amp;teps</source>
        <translation>S&amp;chritte</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="87"/>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="91"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="92"/>
        <location filename="../app/run_controls.cpp" line="265"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="93"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="94"/>
        <source>Start a new run (F5)</source>
        <translation>Neuen Lauf starten (F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="95"/>
        <source>Pause or resume between steps (F6)</source>
        <translation>Zwischen Schritten pausieren oder fortsetzen (F6)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="96"/>
        <source>Stop the run; the log is flushed and closed (Shift+F5)</source>
        <translation>Lauf stoppen; das Protokoll wird geschrieben und geschlossen (Umschalt+F5)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="100"/>
        <source>Live hyper-parameters</source>
        <translation>Live-Hyperparameter</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="107"/>
        <source>Peak learning rate; warm-up and cosine decay still scale it</source>
        <translation>Maximale Lernrate; Aufwärmphase und Kosinus-Abfall skalieren sie weiterhin</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="113"/>
        <source>Coefficient of the load-balancing auxiliary loss (0 = off)</source>
        <translation>Koeffizient des Lastausgleichs-Hilfsverlusts (0 = aus)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="114"/>
        <source>&amp;Learning rate</source>
        <translation>&amp;Lernrate</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="115"/>
        <source>&amp;Balance coef.</source>
        <translation>&amp;Balance-Koeff.</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="118"/>
        <source>Router interventions</source>
        <translation>Router-Eingriffe</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="125"/>
        <source>Router logits are divided by this; above 1 spreads tokens out</source>
        <translation>Router-Logits werden hierdurch geteilt; über 1 verteilt die Token breiter</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="131"/>
        <source>dropless</source>
        <translation>verlustfrei</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="132"/>
        <source>Slots per expert = factor x tokens x k / experts; tokens beyond are dropped</source>
        <translation>Plätze pro Experte = Faktor x Token x k / Experten; darüber hinaus wird verworfen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="133"/>
        <source>&amp;Aux-loss-free bias</source>
        <translation>Verlustfreier &amp;Bias</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="134"/>
        <source>Per-expert selection bias moved towards equal load every step (DeepSeek-V3)</source>
        <translation>Auswahl-Bias pro Experte, jeden Schritt Richtung gleicher Last verschoben (DeepSeek-V3)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="140"/>
        <source>Bias step per update; about 0.01 for softmax scores, larger oscillates</source>
        <translation>Bias-Schritt pro Aktualisierung; etwa 0,01 für Softmax-Scores, größer schwingt</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="141"/>
        <source>Re-init &amp;dead experts</source>
        <translation>&amp;Tote Experten neu initialisieren</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="142"/>
        <source>Experts under 5% of their fair share become noisy copies of the layer&apos;s busiest expert, with its router row (Ctrl+R)</source>
        <translation>Experten unter 5% ihres fairen Anteils werden verrauschte Kopien des meistbeschäftigten Experten der Schicht, mit dessen Router-Zeile (Strg+R)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="144"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="145"/>
        <source>&amp;Temperature</source>
        <translation>&amp;Temperatur</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="146"/>
        <source>&amp;Capacity factor</source>
        <translation>&amp;Kapazitätsfaktor</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="148"/>
        <source>Bias &amp;rate</source>
        <translation>Bias-&amp;Schrittweite</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="214"/>
        <source>about %1 at its peak; %2</source>
        <translation>Spitzenbedarf etwa %1; %2</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="217"/>
        <source>about %1 at its peak (a GPU&apos;s memory is checked when the run starts)</source>
        <translation>Spitzenbedarf etwa %1 (der Speicher einer GPU wird beim Start des Laufs geprüft)</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="265"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="287"/>
        <source>this run: </source>
        <translation>dieser Lauf: </translation>
    </message>
    <message>
        <location filename="../app/run_controls.cpp" line="292"/>
        <source>%1
%2 M parameters, %3 M active per token</source>
        <translation>%1
%2 M Parameter, %3 M aktiv pro Token</translation>
    </message>
</context>
<context>
    <name>moescope::RunStore</name>
    <message>
        <location filename="../views/run_store.cpp" line="32"/>
        <source>%1 (live)</source>
        <translation>%1 (live)</translation>
    </message>
    <message>
        <location filename="../views/run_store.cpp" line="34"/>
        <source>replay of %1</source>
        <translation>Wiedergabe von %1</translation>
    </message>
    <message>
        <location filename="../views/run_store.cpp" line="35"/>
        <source>replay of %1 (%2)</source>
        <translation>Wiedergabe von %1 (%2)</translation>
    </message>
</context>
<context>
    <name>moescope::RunTableModel</name>
    <message>
        <location filename="../app/runs_panel.cpp" line="37"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="38"/>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="39"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="40"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="41"/>
        <source>Val. loss</source>
        <translation>Val.-Verlust</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="42"/>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="43"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="44"/>
        <source>Tags</source>
        <translation>Schlagwörter</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="65"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="99"/>
        <source>&apos;%1&apos; is not a file name</source>
        <translation>„%1“ ist kein Dateiname</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="106"/>
        <source>%1 exists already</source>
        <translation>%1 gibt es schon</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="111"/>
        <source>cannot rename %1 to %2</source>
        <translation>%1 kann nicht in %2 umbenannt werden</translation>
    </message>
</context>
<context>
    <name>moescope::RunsPanel</name>
    <message>
        <location filename="../app/runs_panel.cpp" line="173"/>
        <source>Double-click: open the run. F2: rename or tag. Del: move the log to the trash.</source>
        <translation>Doppelklick: Lauf öffnen. F2: umbenennen oder verschlagworten. Entf: Log in den Papierkorb.</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="174"/>
        <source>Filter runs (name, preset, router, tags...)</source>
        <translation>Läufe filtern (Name, Voreinstellung, Router, Schlagwörter...)</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="176"/>
        <source>Add &amp;folder...</source>
        <translation>&amp;Ordner hinzufügen...</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="177"/>
        <source>&amp;Compare</source>
        <translation>&amp;Vergleichen</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="178"/>
        <source>Overlay the selected runs&apos; loss curves on the loss chart and, with two runs or more, open them side by side in the compare window (nothing selected: clear the overlay)</source>
        <translation>Die Verlustkurven der gewählten Läufe über das Verlustdiagramm legen und ab zwei Läufen sie im Vergleichsfenster nebeneinander öffnen (keine Auswahl: Überlagerung entfernen)</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="207"/>
        <source>Add a folder of run logs</source>
        <translation>Einen Ordner mit Lauf-Logs hinzufügen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/runs_panel.cpp" line="224"/>
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="227"/>
        <source>Move to trash</source>
        <translation>In den Papierkorb</translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="280"/>
        <location filename="../app/runs_panel.cpp" line="286"/>
        <source>Delete runs</source>
        <translation>Läufe löschen</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/runs_panel.cpp" line="281"/>
        <source>Move %n run log(s) to the trash?
%1</source>
        <translation>
            <numerusform>%n Lauf-Log in den Papierkorb verschieben?
%1</numerusform>
            <numerusform>%n Lauf-Logs in den Papierkorb verschieben?
%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/runs_panel.cpp" line="286"/>
        <source>cannot delete %1</source>
        <translation>%1 kann nicht gelöscht werden</translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryDock</name>
    <message>
        <location filename="../views/surgery_dock.cpp" line="65"/>
        <source>Double-click a layer&apos;s experts to change its budget, then preview again</source>
        <translation>Doppelklick auf die Experten einer Schicht ändert ihr Budget; danach erneut Vorschau</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="87"/>
        <source>Budgets edited: Preview (Ctrl+Return) asks for them</source>
        <translation>Budgets geändert: die Vorschau (Ctrl+Return) fragt nach ihnen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="100"/>
        <source>Prune experts</source>
        <translation>Experten entfernen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="101"/>
        <source>Merge experts</source>
        <translation>Experten zusammenführen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="102"/>
        <source>Skip dynamically</source>
        <translation>Dynamisch überspringen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="103"/>
        <source>Quantize experts</source>
        <translation>Experten quantisieren</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="108"/>
        <source>FFN experts every MoE layer keeps (the plan table sets one per layer)</source>
        <translation>FFN-Experten, die jede MoE-Schicht behält (die Plantabelle setzt einen Wert je Schicht)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="113"/>
        <source>An expert whose gate is below β × the token&apos;s top gate is skipped (0 skips nothing, 1 keeps only the top expert)</source>
        <translation>Ein Experte, dessen Gate unter β × dem größten Gate des Tokens liegt, wird übersprungen (0 überspringt nichts, 1 behält nur den besten Experten)</translation>
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
        <translation>nach Nutzung</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="119"/>
        <source>Per-output-channel symmetric fake quantization; by usage: rare experts get fewer bits under the average below, shared experts never fewer than 8</source>
        <translation>Symmetrische Fake-Quantisierung je Ausgabekanal; nach Nutzung: seltene Experten bekommen unter dem Mittelwert unten weniger Bits, geteilte Experten nie weniger als 8</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="125"/>
        <source> bits</source>
        <translation> Bit</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="126"/>
        <source>Align hidden units</source>
        <translation>Verborgene Einheiten ausrichten</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="127"/>
        <source>Hungarian matching of each member&apos;s hidden units to the group&apos;s first before averaging</source>
        <translation>Ungarische Zuordnung der verborgenen Einheiten jedes Mitglieds zum ersten der Gruppe vor dem Mitteln</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="129"/>
        <source>keep logits</source>
        <translation>Logits behalten</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="130"/>
        <source>sum rows</source>
        <translation>Zeilen summieren</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="131"/>
        <source>keep: one router logit per original expert, pointing at its merged expert (tokens keep their preference); sum: the members&apos; rows summed into one logit (a plain router, as exports need)</source>
        <translation>behalten: ein Router-Logit je ursprünglichem Experten, das auf seinen zusammengeführten Experten zeigt (Tokens behalten ihre Vorliebe); summieren: die Zeilen der Mitglieder zu einem Logit summiert (ein einfacher Router, wie ihn Exporte brauchen)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="138"/>
        <source>Tokens of the training split the calibration pass caches (the cost is measured on the held-out split)</source>
        <translation>Tokens des Trainingsteils, die der Kalibrierungsdurchlauf zwischenspeichert (die Kosten werden auf dem zurückgehaltenen Teil gemessen)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="141"/>
        <source>mean outputs</source>
        <translation>mittlere Ausgaben</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="142"/>
        <source>weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="143"/>
        <source>router logits</source>
        <translation>Router-Logits</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="144"/>
        <source>What the similarity heatmap compares (a new preview reuses the calibration)</source>
        <translation>Was die Ähnlichkeits-Heatmap vergleicht (eine neue Vorschau nutzt die Kalibrierung wieder)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="53"/>
        <location filename="../views/surgery_dock.cpp" line="146"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="54"/>
        <source>Sweep</source>
        <translation>Sweep</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="147"/>
        <source>β</source>
        <translation>β</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="148"/>
        <source>Bits</source>
        <translation>Bits</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="149"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="162"/>
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="164"/>
        <source>Similarity</source>
        <translation>Ähnlichkeit</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="167"/>
        <source>Every preview, apply and undo of this run</source>
        <translation>Jede Vorschau, Anwendung und Rücknahme dieses Laufs</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="174"/>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="176"/>
        <source>Calibrate (once per step), plan, and measure the changed model on the held-out split; the model is put back afterwards (Ctrl+Return)</source>
        <translation>Kalibrieren (einmal je Schritt), planen und das geänderte Modell auf dem zurückgehaltenen Teil messen; das Modell wird danach wiederhergestellt (Ctrl+Return)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="178"/>
        <source>S&amp;weep</source>
        <translation>S&amp;weep</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="179"/>
        <source>Preview this method at every budget (experts from E − 1 to top-k, β from 0 to 1, average bits from 8 to 2) on one calibration, and draw the costs on the Sweep tab</source>
        <translation>Diese Methode bei jedem Budget vorschauen (Experten von E − 1 bis top-k, β von 0 bis 1, mittlere Bits von 8 bis 2) mit einer Kalibrierung, und die Kosten im Tab Sweep zeichnen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="181"/>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="182"/>
        <source>Commit the shown preview to the model; training can go on from it</source>
        <translation>Die gezeigte Vorschau auf das Modell anwenden; das Training kann von dort weitergehen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="183"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="184"/>
        <source>Put the weights and optimizer state back exactly, until the next step</source>
        <translation>Gewichte und Optimiererzustand exakt wiederherstellen, bis zum nächsten Schritt</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="186"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="209"/>
        <location filename="../views/surgery_dock.cpp" line="216"/>
        <source>waiting for the engine</source>
        <translation>warte auf die Engine</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="226"/>
        <source>cancelling...</source>
        <translation>wird abgebrochen...</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="236"/>
        <source>REAP saliency</source>
        <translation>REAP-Salienz</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="237"/>
        <source>routing frequency</source>
        <translation>Routing-Häufigkeit</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="238"/>
        <source>subset search (NAEE)</source>
        <translation>Teilmengensuche (NAEE)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="240"/>
        <source>HC-SMoE (clusters of mean outputs)</source>
        <translation>HC-SMoE (Cluster mittlerer Ausgaben)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="241"/>
        <source>MC-SMoE (around the most used)</source>
        <translation>MC-SMoE (um die meistgenutzten)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="337"/>
        <source>Replay: the surgery of this run, read from its log</source>
        <translation>Wiedergabe: die Chirurgie dieses Laufs, aus seinem Log gelesen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="338"/>
        <source>Replay: this run&apos;s log holds no surgery</source>
        <translation>Wiedergabe: das Log dieses Laufs enthält keine Chirurgie</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="340"/>
        <source>Pause the run (F6) to preview a surgery: it happens between steps</source>
        <translation>Den Lauf anhalten (F6), um eine Chirurgie vorzuschauen: sie geschieht zwischen Schritten</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="342"/>
        <source>Paused: choose a surgery and Preview it (Ctrl+Return)</source>
        <translation>Angehalten: eine Chirurgie wählen und Vorschau (Ctrl+Return)</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="344"/>
        <source>The run has ended: start or resume one to change its experts</source>
        <translation>Der Lauf ist beendet: einen starten oder fortsetzen, um seine Experten zu ändern</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="345"/>
        <source>Start a run and pause it to preview a surgery</source>
        <translation>Einen Lauf starten und anhalten, um eine Chirurgie vorzuschauen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="362"/>
        <source>Sweep done: preview the budget you choose, then apply it</source>
        <translation>Sweep fertig: das gewählte Budget vorschauen, dann anwenden</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="367"/>
        <source>calibrating: one pass over %1 training tokens</source>
        <translation>Kalibrierung: ein Durchlauf über %1 Trainings-Tokens</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>apply</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="373"/>
        <source>undo</source>
        <translation>Rücknahme</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="374"/>
        <source>%1 %2 at step %3: %4</source>
        <translation>%1 %2 bei Schritt %3: %4</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="398"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="390"/>
        <source>Preview %1 ready: Apply commits it</source>
        <translation>Vorschau %1 bereit: Anwenden übernimmt sie</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="391"/>
        <source>Applied: train on to fine-tune, or Undo before the next step</source>
        <translation>Angewendet: weiter trainieren zum Feinabstimmen, oder Rückgängig vor dem nächsten Schritt</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="392"/>
        <source>Undone: the model is as it was before the surgery</source>
        <translation>Rückgängig gemacht: das Modell ist wie vor der Chirurgie</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;before&lt;/b&gt;</source>
        <translation>&lt;b&gt;vorher&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;after&lt;/b&gt;</source>
        <translation>&lt;b&gt;nachher&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="447"/>
        <source>&lt;b&gt;change&lt;/b&gt;</source>
        <translation>&lt;b&gt;Änderung&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="448"/>
        <source>measured: validation bits/byte</source>
        <translation>gemessen: Validierung Bits/Byte</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="448"/>
        <source>measured: test accuracy</source>
        <translation>gemessen: Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="450"/>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="452"/>
        <source>active parameters per token</source>
        <translation>aktive Parameter je Token</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="454"/>
        <source>routed experts&apos; FLOPs per token</source>
        <translation>FLOPs der gerouteten Experten je Token</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="456"/>
        <source>&lt;b&gt;Predicted&lt;/b&gt; (calibration cache, mean of %1 layers): routed share %2 %3, reconstruction error %4</source>
        <translation>&lt;b&gt;Vorhergesagt&lt;/b&gt; (Kalibrierungscache, Mittel über %1 Schichten): gerouteter Anteil %2 %3, Rekonstruktionsfehler %4</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>merged</source>
        <translation>zusammengeführt</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="459"/>
        <source>removed</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="462"/>
        <source>&lt;b&gt;Time&lt;/b&gt;: calibration %1 (%2 tokens%3), plan %4, measuring %5</source>
        <translation>&lt;b&gt;Zeit&lt;/b&gt;: Kalibrierung %1 (%2 Tokens%3), Plan %4, Messung %5</translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="465"/>
        <source>, reused</source>
        <translation>, wiederverwendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/surgery_dock.cpp" line="469"/>
        <source>%n layer(s) with a merge error above %1 (worst %2): merging there is known to hurt generation</source>
        <translation>
            <numerusform>%n Schicht mit einem Zusammenführungsfehler über %1 (schlechtester %2): Zusammenführen schadet dort bekanntlich der Generierung</numerusform>
            <numerusform>%n Schichten mit einem Zusammenführungsfehler über %1 (schlechtester %2): Zusammenführen schadet dort bekanntlich der Generierung</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../views/surgery_dock.cpp" line="476"/>
        <source>Sharpest cliff: layer %1 (importance Gini %2): give it a larger budget in the table</source>
        <translation>Schärfste Klippe: Schicht %1 (Wichtigkeits-Gini %2): ihr in der Tabelle ein größeres Budget geben</translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryPlanModel</name>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="26"/>
        <source>keeps %1</source>
        <translation>behält %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="32"/>
        <source>nothing merged</source>
        <translation>nichts zusammengeführt</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="33"/>
        <source>merges %1</source>
        <translation>führt zusammen %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="35"/>
        <source>β %1</source>
        <translation>β %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="39"/>
        <source>bits %1</source>
        <translation>Bits %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="96"/>
        <source>Experts this layer keeps; edit it, then preview again</source>
        <translation>Experten, die diese Schicht behält; ändern, dann erneut Vorschau</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="99"/>
        <source>Above %1: the two experts&apos; gate mix varies with the input, and merging them is known to hurt generation; consider a larger budget or pruning this layer</source>
        <translation>Über %1: die Gate-Mischung der beiden Experten hängt von der Eingabe ab, und ihr Zusammenführen schadet bekanntlich der Generierung; ein größeres Budget oder Entfernen in dieser Schicht erwägen</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="102"/>
        <source>REAP&apos;s merge-error term of the worst pair merged</source>
        <translation>REAPs Zusammenführungsfehler des schlechtesten zusammengeführten Paars</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="104"/>
        <source>Gini coefficient of expert importance: the higher, the sharper the pruning cliff; give such a layer more experts</source>
        <translation>Gini-Koeffizient der Expertenwichtigkeit: je höher, desto schärfer die Klippe beim Entfernen; einer solchen Schicht mehr Experten geben</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="149"/>
        <source>Share of the calibration assignments removed, merged or skipped</source>
        <translation>Anteil der Kalibrierungszuweisungen, die entfernt, zusammengeführt oder übersprungen werden</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="150"/>
        <source>Share of the layer&apos;s REAP saliency (gate × output norm) removed</source>
        <translation>Entfernter Anteil der REAP-Salienz der Schicht (Gate × Ausgabenorm)</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="151"/>
        <source>Relative reconstruction error of the layer&apos;s output, ‖h − ĥ‖² / ‖h‖², on the cache</source>
        <translation>Relativer Rekonstruktionsfehler der Schichtausgabe, ‖h − ĥ‖² / ‖h‖², auf dem Cache</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="157"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="158"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="159"/>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="160"/>
        <source>Routed</source>
        <translation>Geroutet</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="161"/>
        <source>Saliency</source>
        <translation>Salienz</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="162"/>
        <source>Recon. error</source>
        <translation>Rekonstr.-Fehler</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="163"/>
        <source>Pair error</source>
        <translation>Paarfehler</translation>
    </message>
    <message>
        <location filename="../views/surgery_plan_model.cpp" line="164"/>
        <source>Gini</source>
        <translation>Gini</translation>
    </message>
</context>
<context>
    <name>moescope::SurgerySweepChart</name>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="56"/>
        <source>Sweep: preview a method at every budget (Sweep button)</source>
        <translation>Sweep: eine Methode bei jedem Budget vorschauen (Knopf Sweep)</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="61"/>
        <source>recon. error (predicted, dashed)</source>
        <translation>Rekonstr.-Fehler (vorhergesagt, gestrichelt)</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="73"/>
        <source>Δ bits/byte (measured)</source>
        <translation>Δ Bits/Byte (gemessen)</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="73"/>
        <source>accuracy lost, pt (measured)</source>
        <translation>verlorene Genauigkeit, Pkt. (gemessen)</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="111"/>
        <source>β (skip below β × top gate)</source>
        <translation>β (überspringen unter β × größtem Gate)</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="112"/>
        <source>average bits</source>
        <translation>mittlere Bits</translation>
    </message>
    <message>
        <location filename="../views/surgery_sweep_chart.cpp" line="113"/>
        <source>experts kept per layer</source>
        <translation>behaltene Experten je Schicht</translation>
    </message>
    <message numerus="yes">
        <location filename="../views/surgery_sweep_chart.cpp" line="125"/>
        <source>Sweep: cost at every budget, %n sweep(s)</source>
        <translation>
            <numerusform>Sweep: Kosten bei jedem Budget, %n Sweep</numerusform>
            <numerusform>Sweep: Kosten bei jedem Budget, %n Sweeps</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::SurgeryView</name>
    <message>
        <location filename="../views/surgery_view.cpp" line="47"/>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="48"/>
        <source>MoE layer whose experts are shown</source>
        <translation>MoE-Schicht, deren Experten gezeigt werden</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="153"/>
        <source>Preview an expert surgery to see the experts here</source>
        <translation>Eine Experten-Chirurgie vorschauen, um die Experten hier zu sehen</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="156"/>
        <source>weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="157"/>
        <source>router logits</source>
        <translation>Router-Logits</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="158"/>
        <source>mean outputs</source>
        <translation>mittlere Ausgaben</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="159"/>
        <source>Layer %1: expert similarity (%2), preview %3 at step %4</source>
        <translation>Schicht %1: Expertenähnlichkeit (%2), Vorschau %3 bei Schritt %4</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="172"/>
        <location filename="../views/surgery_view.cpp" line="296"/>
        <source>usage</source>
        <translation>Nutzung</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="173"/>
        <source>mean gate</source>
        <translation>mittleres Gate</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="174"/>
        <source>saliency</source>
        <translation>Salienz</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="265"/>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="313"/>
        <source>experts %1 and %2: similarity %3</source>
        <translation>Experten %1 und %2: Ähnlichkeit %3</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="319"/>
        <source>, merge error %1</source>
        <translation>, Zusammenführungsfehler %1</translation>
    </message>
    <message>
        <location filename="../views/surgery_view.cpp" line="326"/>
        <source>expert %1
usage %2
mean gate %3
saliency %4</source>
        <translation>Experte %1
Nutzung %2
mittleres Gate %3
Salienz %4</translation>
    </message>
</context>
<context>
    <name>moescope::TokenView</name>
    <message>
        <location filename="../views/token_view.cpp" line="29"/>
        <source>dropped: %1</source>
        <translation>verworfen: %1</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="30"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="42"/>
        <source>Probe tokens</source>
        <translation>Probe-Token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="42"/>
        <source>MoE layer whose top-1 experts colour the tokens</source>
        <translation>MoE-Schicht, deren Top-1-Experten die Token färben</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="95"/>
        <source>waiting for probe-token routing</source>
        <translation>warte auf das Routing der Probe-Token</translation>
    </message>
    <message>
        <source>top-1 expert per token, step %1, following live</source>
        <translation type="vanished">Top-1-Experte pro Token, Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <source>top-1 expert per token, at step %1 (live: step %2)</source>
        <translation type="vanished">Top-1-Experte pro Token, bei Schritt %1 (live: Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="97"/>
        <source>top-1 expert per token, %1</source>
        <translation>Top-1-Experte pro Token, %1</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="138"/>
        <source>&apos;%1&apos; (token %2)</source>
        <translation>„%1“ (Token %2)</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="142"/>
        <source>&apos;%1&apos; (byte 0x%2) at position %3</source>
        <translation>&apos;%1&apos; (Byte 0x%2) an Position %3</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="147"/>
        <source>patch %1 (row %2, column %3)</source>
        <translation>Patch %1 (Zeile %2, Spalte %3)</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="158"/>
        <source>
expert %1: %2</source>
        <translation>
Experte %1: %2</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="163"/>
        <source>
dropped</source>
        <translation>
verworfen</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="181"/>
        <location filename="../views/token_view.cpp" line="350"/>
        <source>top-1 expert: tokens</source>
        <translation>Top-1-Experte: Token</translation>
    </message>
    <message>
        <location filename="../views/token_view.cpp" line="308"/>
        <source>waiting for the run&apos;s probe tokens</source>
        <translation>warte auf die Probe-Token des Laufs</translation>
    </message>
</context>
<context>
    <name>moescope::TrajectoryView</name>
    <message>
        <location filename="../views/trajectory_view.cpp" line="31"/>
        <source>1 token</source>
        <translation>1 Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="31"/>
        <source>%1 tokens</source>
        <translation>%1 Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="37"/>
        <source>Routing trajectories</source>
        <translation>Routing-Pfade</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="59"/>
        <location filename="../views/trajectory_view.cpp" line="176"/>
        <source>waiting for probe-token routing</source>
        <translation>warte auf das Routing der Probe-Token</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="67"/>
        <source>top-1 expert of %1 probe tokens per layer</source>
        <translation>Top-1-Experte von %1 Probe-Token pro Schicht</translation>
    </message>
    <message>
        <source>%1, step %2, following live</source>
        <translation type="vanished">%1, Schritt %2, folgt dem Lauf</translation>
    </message>
    <message>
        <source>%1, at step %2 (live: step %3)</source>
        <translation type="vanished">%1, bei Schritt %2 (live: Schritt %3)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="68"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="103"/>
        <location filename="../views/trajectory_view.cpp" line="201"/>
        <source>dropped</source>
        <translation>verworfen</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="107"/>
        <source>expert %1 (%2)</source>
        <translation>Experte %1 (%2)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="108"/>
        <source>expert %1</source>
        <translation>Experte %1</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="123"/>
        <source>layer %1 %2: %3 (%4)</source>
        <translation>Schicht %1 %2: %3 (%4)</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="131"/>
        <source>layer %1 %2 → layer %3 %4: %5</source>
        <translation>Schicht %1 %2 → Schicht %3 %4: %5</translation>
    </message>
    <message>
        <location filename="../views/trajectory_view.cpp" line="216"/>
        <source>layer (node: top-1 expert, band: tokens)</source>
        <translation>Schicht (Knoten: Top-1-Experte, Band: Token)</translation>
    </message>
</context>
<context>
    <name>moescope::ViewText</name>
    <message>
        <location filename="../views/view_text.cpp" line="14"/>
        <source>step %1 of the replay</source>
        <translation>Schritt %1 der Wiedergabe</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="15"/>
        <source>step %1, following live</source>
        <translation>Schritt %1, folgt dem Lauf</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="18"/>
        <source>at step %1 (replay ends at step %2)</source>
        <translation>bei Schritt %1 (Wiedergabe endet bei Schritt %2)</translation>
    </message>
    <message>
        <location filename="../views/view_text.cpp" line="19"/>
        <source>at step %1 (live: step %2)</source>
        <translation>bei Schritt %1 (live: Schritt %2)</translation>
    </message>
</context>
</TS>
