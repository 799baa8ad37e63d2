<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AttentionEquationView</name>
    <message numerus="yes">
        <source>%n later key(s) masked (causal): score −∞, weight 0</source>
        <translation>
            <numerusform>%n later key masked (causal): score −∞, weight 0</numerusform>
            <numerusform>%n later keys masked (causal): score −∞, weight 0</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more key(s) with weight %1 together</source>
        <translation>
            <numerusform>… and %n more key with weight %1 together</numerusform>
            <numerusform>… and %n more keys with weight %1 together</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message numerus="yes">
        <source>%n tokens · attention_pool</source>
        <translation>
            <numerusform>%n token · attention_pool</numerusform>
            <numerusform>%n tokens · attention_pool</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n heads</source>
        <translation>
            <numerusform>%1 · %n head</numerusform>
            <numerusform>%1 · %n heads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tokens: the attention takes a while on a text this long; the tokens and the LSTM are shown already.</source>
        <translation>
            <numerusform>%n token: the attention takes a while on a text this long; the tokens and the LSTM are shown already.</numerusform>
            <numerusform>%n tokens: the attention takes a while on a text this long; the tokens and the LSTM are shown already.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>one query × %n keys · %1</source>
        <translation>
            <numerusform>one query × %n key · %1</numerusform>
            <numerusform>one query × %n keys · %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 hops × %n tokens · attention_pool</source>
        <translation>
            <numerusform>%1 hops × %n token · attention_pool</numerusform>
            <numerusform>%1 hops × %n tokens · attention_pool</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 heads × %n keys, one query · multihead_attention</source>
        <translation>
            <numerusform>%1 heads × %n key, one query · multihead_attention</numerusform>
            <numerusform>%1 heads × %n keys, one query · multihead_attention</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n hops</source>
        <translation>
            <numerusform>%1 · %n hop</numerusform>
            <numerusform>%1 · %n hops</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CorpusTablePanel</name>
    <message numerus="yes">
        <source>%1 of %n text(s) shown</source>
        <translation>
            <numerusform>%1 of %n text shown</numerusform>
            <numerusform>%1 of %n texts shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CorpusWindow</name>
    <message numerus="yes">
        <source>%n text(s)</source>
        <translation>
            <numerusform>%n text</numerusform>
            <numerusform>%n texts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not run</source>
        <translation>
            <numerusform>%n could not run</numerusform>
            <numerusform>%n could not run</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Running: %1 of %n text(s)…</source>
        <translation>
            <numerusform>Running: %1 of %n text…</numerusform>
            <numerusform>Running: %1 of %n texts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done: %n text(s) in %1 s. Click a text to open it in the main window.</source>
        <translation>
            <numerusform>Done: %n text in %1 s. Click a text to open it in the main window.</numerusform>
            <numerusform>Done: %n texts in %1 s. Click a text to open it in the main window.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 of %n text(s): the table shows those; the summaries need a whole run.</source>
        <translation>
            <numerusform>Cancelled after %1 of %n text: the table shows those; the summaries need a whole run.</numerusform>
            <numerusform>Cancelled after %1 of %n texts: the table shows those; the summaries need a whole run.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DifferenceView</name>
    <message numerus="yes">
        <source>%1 · pooling weights, mean of %n hops</source>
        <translation>
            <numerusform>%1 · pooling weights, mean of %n hop</numerusform>
            <numerusform>%1 · pooling weights, mean of %n hops</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · mean of its %n query rows</source>
        <translation>
            <numerusform>%1 · mean of its %n query row</numerusform>
            <numerusform>%1 · mean of its %n query rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message numerus="yes">
        <source>text: every token of the text is unknown to the vocabulary and was dropped (%n dropped)</source>
        <translation>
            <numerusform>text: every token of the text is unknown to the vocabulary and was dropped (%n dropped)</numerusform>
            <numerusform>text: every token of the text is unknown to the vocabulary and was dropped (%n dropped)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FaithfulnessPanel</name>
    <message numerus="yes">
        <source>&lt;b&gt;Kendall τ&lt;/b&gt; between the attention each token receives (node “%1”) and its leave-one-out importance (how much the output moves, in total variation distance, when the token is deleted), one τ per text: mean &lt;b&gt;%2&lt;/b&gt; (95% interval %3 to %4) over %n text(s), %5 undefined (one token or constant). Shaded: the τ Jain &amp;amp; Wallace (2019) report in their released results for a BiLSTM with tanh attention, %6 to %7 on SST and %8 to %9 on IMDB.</source>
        <translation>
            <numerusform>&lt;b&gt;Kendall τ&lt;/b&gt; between the attention each token receives (node “%1”) and its leave-one-out importance (how much the output moves, in total variation distance, when the token is deleted), one τ per text: mean &lt;b&gt;%2&lt;/b&gt; (95% interval %3 to %4) over %n text, %5 undefined (one token or constant). Shaded: the τ Jain &amp;amp; Wallace (2019) report in their released results for a BiLSTM with tanh attention, %6 to %7 on SST and %8 to %9 on IMDB.</numerusform>
            <numerusform>&lt;b&gt;Kendall τ&lt;/b&gt; between the attention each token receives (node “%1”) and its leave-one-out importance (how much the output moves, in total variation distance, when the token is deleted), one τ per text: mean &lt;b&gt;%2&lt;/b&gt; (95% interval %3 to %4) over %n texts, %5 undefined (one token or constant). Shaded: the τ Jain &amp;amp; Wallace (2019) report in their released results for a BiLSTM with tanh attention, %6 to %7 on SST and %8 to %9 on IMDB.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n text(s) over %1 tokens were not tested (one run of the model per token).</source>
        <translation>
            <numerusform>%n text over %1 tokens was not tested (one run of the model per token).</numerusform>
            <numerusform>%n texts over %1 tokens were not tested (one run of the model per token).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GatesView</name>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n unit</numerusform>
            <numerusform>%n units</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>each drawn column: mean of %n tokens (zoom in for single ones)</source>
        <translation>
            <numerusform>each drawn column: mean of %n token (zoom in for single ones)</numerusform>
            <numerusform>each drawn column: mean of %n tokens (zoom in for single ones)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>each drawn row: mean of %n units (zoom in for single ones)</source>
        <translation>
            <numerusform>each drawn row: mean of %n unit (zoom in for single ones)</numerusform>
            <numerusform>each drawn row: mean of %n units (zoom in for single ones)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Every core (%n)</source>
        <translation>
            <numerusform>&amp;Every core (%n)</numerusform>
            <numerusform>&amp;Every core (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thread(s)</source>
        <translation>
            <numerusform>%n thread</numerusform>
            <numerusform>%n threads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelView</name>
    <message numerus="yes">
        <source>%1 tokenizer, %2 entries</source>
        <translation>
            <numerusform>%1 tokenizer, %2 entry</numerusform>
            <numerusform>%1 tokenizer, %2 entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 parameters</source>
        <translation>
            <numerusform>%1 parameter</numerusform>
            <numerusform>%1 parameters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n layers</source>
        <translation>
            <numerusform>%n layer</numerusform>
            <numerusform>%n layers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n unit</numerusform>
            <numerusform>%n units</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n heads</source>
        <translation>
            <numerusform>%n head</numerusform>
            <numerusform>%n heads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PatternSearchPanel</name>
    <message numerus="yes">
        <source>The query: %n unit(s) above %1 at every token of the span: %2</source>
        <translation>
            <numerusform>The query: %n unit above %1 at every token of the span: %2</numerusform>
            <numerusform>The query: %n units above %1 at every token of the span: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Searching %n text(s)…</source>
        <translation>
            <numerusform>Searching %n text…</numerusform>
            <numerusform>Searching %n texts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es), best first</source>
        <translation>
            <numerusform>%n match, best first</numerusform>
            <numerusform>%n matches, best first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, in %n text(s); click one to open it.</source>
        <translation>
            <numerusform>, in %n text; click one to open it.</numerusform>
            <numerusform>, in %n texts; click one to open it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PredictionView</name>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaturationPanel</name>
    <message numerus="yes">
        <source>%n unit(s) over %1 steps of %2 texts: a dot far right or far up is a gate that is mostly shut or mostly open. Click a dot for the unit&apos;s top contexts.</source>
        <translation>
            <numerusform>%n unit over %1 steps of %2 texts: a dot far right or far up is a gate that is mostly shut or mostly open. Click a dot for the unit&apos;s top contexts.</numerusform>
            <numerusform>%n units over %1 steps of %2 texts: a dot far right or far up is a gate that is mostly shut or mostly open. Click a dot for the unit&apos;s top contexts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unit %1: its top %n context(s) across the corpus (each text&apos;s highest h)</source>
        <translation>
            <numerusform>Unit %1: its top %n context across the corpus (each text&apos;s highest h)</numerusform>
            <numerusform>Unit %1: its top %n contexts across the corpus (each text&apos;s highest h)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message numerus="yes">
        <source>Showing the finished computation (%n steps)</source>
        <translation>
            <numerusform>Showing the finished computation (%n step)</numerusform>
            <numerusform>Showing the finished computation (%n steps)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenStrip</name>
    <message numerus="yes">
        <source>, mean of %n heads</source>
        <translation>
            <numerusform>, mean of %n head</numerusform>
            <numerusform>, mean of %n heads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unit %1 does not exist in %2 (%n units).</source>
        <translation>
            <numerusform>Unit %1 does not exist in %2 (%n unit).</numerusform>
            <numerusform>Unit %1 does not exist in %2 (%n units).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>mean of its %n query rows</source>
        <translation>
            <numerusform>mean of its %n query row</numerusform>
            <numerusform>mean of its %n query rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, mean of %n hops</source>
        <translation>
            <numerusform>, mean of %n hop</numerusform>
            <numerusform>, mean of %n hops</numerusform>
        </translation>
    </message>
</context>
</TS>
