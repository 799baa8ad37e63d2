// Builds Keras models in TensorFlow.js from their Keras JSON and weights, and
// prints their outputs and the output of one attention layer per text.
// Driven by tools/check_keras_with_tfjs.py (read its docstring).
const fs = require("fs");
const tf = require("@tensorflow/tfjs");

async function main() {
    const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
    const results = {};
    for (const [name, spec] of Object.entries(job)) {
        const model = await tf.models.modelFromJSON({modelTopology: spec.config});
        for (const layer of model.layers) {
            const ws = spec.weights[layer.name] || [];
            if (ws.length) layer.setWeights(ws.map((w) => tf.tensor(w.values, w.shape)));
        }
        // A second model that also returns the attention layer's output.
        const probed = model.getLayer(spec.attention).output;
        const same = probed === model.outputs[0];
        const probe = same ? model : tf.model({inputs: model.inputs, outputs: [model.outputs[0], probed]});
        results[name] = [];
        for (const ids of spec.ids) {
            const got = probe.predict(tf.tensor2d([ids], [1, ids.length]));
            const [out, att] = same ? [got, got] : got;
            results[name].push({output: Array.from(out.dataSync()), attention: Array.from(att.dataSync())});
        }
    }
    process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
