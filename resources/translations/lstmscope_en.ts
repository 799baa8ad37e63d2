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
</context>
</TS>
