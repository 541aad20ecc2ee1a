// The Python that reads sample inputs, shared by the conversion script (calibration) and the validation script,
// so both read .npy files and TF Serving's JSON rows the same way sampleInputs.ts checked them.
import { pythonString as py } from './pythonLiteral';
import type { SampleSet } from './sampleInputs';

/** SAMPLES_FILE and SAMPLE_INPUTS (name -> (numpy dtype, signature rank or None)). */
export function sampleConstants(samples: SampleSet, file: string): string[] {
  const entries = samples.inputs.map((i) => `${py(i.key)}: (${py(i.numpyDtype)}, ${i.rank === undefined ? 'None' : String(i.rank)})`);
  return [
    `SAMPLES_FILE = ${py(file)}`,
    '# Signature input name -> (numpy dtype, rank), checked against the SavedModel before this script was written.',
    `SAMPLE_INPUTS = {${entries.join(', ')}}`,
  ];
}

export const readSamplesFunction = String.raw`
def read_samples():
    """Yields each sample as {signature input name: array with a batch axis}.

    .npy: one array, the first axis counts samples (each fed with a batch axis of 1).
    .json: TF Serving's row format, a list of instances or {"instances": [...]}; an instance is {input: value} (or the
    bare value for a single input), a value one example without the batch axis (an already batched value is kept).
    """
    import numpy as np

    if SAMPLES_FILE.lower().endswith(".npy"):
        (name, (dtype, _rank)), = SAMPLE_INPUTS.items()
        data = np.load(SAMPLES_FILE)
        for i in range(data.shape[0]):
            yield {name: data[i:i + 1].astype(dtype)}
        return
    with open(SAMPLES_FILE, encoding="utf-8") as f:
        data = json.load(f)
    rows = data["instances"] if isinstance(data, dict) else data
    only = next(iter(SAMPLE_INPUTS)) if len(SAMPLE_INPUTS) == 1 else None
    for row in rows:
        if only is not None and not isinstance(row, dict):
            row = {only: row}
        sample = {}
        for name, (dtype, rank) in SAMPLE_INPUTS.items():
            value = np.asarray(row[name], dtype=dtype)
            if rank is not None and value.ndim == rank - 1:
                value = value[None]
            sample[name] = value
        yield sample`.trimStart();
