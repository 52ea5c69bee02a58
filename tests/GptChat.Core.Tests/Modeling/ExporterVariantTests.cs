using GptChat.Modeling;
using Microsoft.ML.OnnxRuntime.Tensors;
using DataType = GptChat.Core.Tests.Modeling.OnnxModelRewriter.DataType;

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// Graphs other exporters produce, made from the tiny model.onnx by wrapping it: a float16 cache and float16
/// logits (Hub <c>model_fp16.onnx</c>), and ORT's transformers exporter (int32 ids, mask and positions; K and V
/// stacked as <c>past_{i}</c> [2, B, H, P, D]). The runner must read all of that from the session metadata.
/// </summary>
public class ExporterVariantTests(TinyModelLayouts layouts) : IClassFixture<TinyModelLayouts>
{
    private const int Layers = 2;

    [Fact]
    public void Float16_cache_and_logits()
    {
        var rewriter = new OnnxModelRewriter(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, "onnx", "model.onnx")));
        foreach (var input in rewriter.InputNames.Where(n => n.StartsWith("past_key_values", StringComparison.Ordinal)).ToList())
            rewriter.RetypeInput(input, DataType.Float16, DataType.Float);
        foreach (var output in rewriter.OutputNames.ToList())
            rewriter.RetypeOutput(output, DataType.Float16);

        using var folder = TempModelFolder.WithOnnx();
        folder.Write("onnx/model_fp16.onnx", rewriter.ToBytes());
        using var model = OnnxCausalLM.Open(folder.Path, new ModelOpenOptions { OnnxFile = "onnx/model_fp16.onnx", IntraOpThreads = 1 });

        Assert.Equal("single", model.LayoutName);
        Assert.Equal(TensorElementType.Float16, model.DecodeGraph.LogitsType);
        Assert.All(model.DecodeGraph.Past, t => Assert.Equal(TensorElementType.Float16, t.ElementType));
        // float16 keeps ~3 significant digits: logits of size ~10 round by up to ~0.004 (measured max 0.0042 here).
        DecodeScript.AssertMatchesRecompute(model, layouts, tolerance: 0.02f, "fp16");
    }

    [Fact]
    public void Ort_transformers_export_with_int32_inputs_and_stacked_past()
    {
        var rewriter = new OnnxModelRewriter(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, "onnx", "model.onnx")));
        foreach (var input in new[] { "input_ids", "attention_mask", "position_ids" })
            rewriter.RetypeInput(input, DataType.Int32, DataType.Int64);
        rewriter.AddInt64Constant("key_index", [], 0);
        rewriter.AddInt64Constant("value_index", [], 1);
        rewriter.AddInt64Constant("stack_axis", [1], 0);
        for (var i = 0; i < Layers; i++)
        {
            rewriter.RemoveInput($"past_key_values.{i}.key");
            rewriter.RemoveInput($"past_key_values.{i}.value");
            rewriter.AddInput($"past_{i}", DataType.Float, 2, "batch_size", 4, "past_sequence_length", 8);
            rewriter.AddNode(before: true, "Gather", [$"past_{i}", "key_index"], [$"past_key_values.{i}.key"], ("axis", 0));
            rewriter.AddNode(before: true, "Gather", [$"past_{i}", "value_index"], [$"past_key_values.{i}.value"], ("axis", 0));

            rewriter.RemoveOutput($"present.{i}.key");
            rewriter.RemoveOutput($"present.{i}.value");
            rewriter.AddNode(before: false, "Unsqueeze", [$"present.{i}.key", "stack_axis"], [$"stacked_key_{i}"]);
            rewriter.AddNode(before: false, "Unsqueeze", [$"present.{i}.value", "stack_axis"], [$"stacked_value_{i}"]);
            rewriter.AddNode(before: false, "Concat", [$"stacked_key_{i}", $"stacked_value_{i}"], [$"present_{i}"], ("axis", 0));
            rewriter.AddOutput($"present_{i}", DataType.Float, 2, "batch_size", 4, "total_sequence_length", 8);
        }

        using var folder = TempModelFolder.WithOnnx();
        folder.Write("past.onnx", rewriter.ToBytes());
        using var model = OnnxCausalLM.Open(folder.Path, new ModelOpenOptions { OnnxFile = "past.onnx", IntraOpThreads = 1 });

        Assert.Equal("single", model.LayoutName);
        Assert.Equal(TensorElementType.Int32, model.DecodeGraph.IdsType);
        Assert.Equal(TensorElementType.Int32, model.DecodeGraph.MaskType);
        Assert.Equal(TensorElementType.Int32, model.DecodeGraph.PositionsType);
        Assert.Equal(["past_0", "past_1"], model.DecodeGraph.Past.Select(t => t.PastName));
        Assert.All(model.DecodeGraph.Past, t => Assert.Equal(1, t.BatchAxis));
        DecodeScript.AssertMatchesRecompute(model, layouts, tolerance: 1e-4f, "stacked int32");
    }
}
