namespace GptChat.Modeling;

/// <summary>How a model folder's ONNX files are driven step by step.</summary>
internal enum ModelLayoutKind
{
    /// <summary>optimum's merged decoder: one graph, an If node on <c>use_cache_branch</c> (false on the first call).</summary>
    Merged,
    /// <summary>One graph with past inputs (current optimum / onnx-community <c>model.onnx</c>); empty past on the first call.</summary>
    Single,
    /// <summary>The pair decoder_model.onnx (first call, no past) + decoder_with_past_model.onnx (later calls).</summary>
    Split,
    /// <summary>A graph without past inputs: the whole sequence is recomputed every step (slow but correct).</summary>
    NoPast,
}
