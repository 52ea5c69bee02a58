namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// Wraps an ONNX graph in new boundary nodes (casts, K/V stacking) so tests can make, from the tiny model, the
/// variants the Hub and other exporters ship (float16 cache and logits, int32 ids, stacked <c>past_{i}</c>)
/// without committing more model files. The wrapped graph computes the same thing up to the casts.
/// </summary>
internal sealed class OnnxModelRewriter
{
    /// <summary>ONNX TensorProto.DataType values used here.</summary>
    public enum DataType { Float = 1, Int32 = 6, Int64 = 7, Float16 = 10 }

    // Field numbers from onnx.proto3.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeInt = 3, AttributeType = 20, AttributeTypeInt = 2;
    private const int ValueInfoName = 1, ValueInfoType = 2;
    private const int TypeTensor = 1, TensorElementType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int TensorDims = 1, TensorDataType = 2, TensorInt64Data = 7, TensorName = 8;

    private readonly ProtoMessage _model;
    private readonly ProtoMessage _graph;
    private readonly List<ProtoMessage> _inputs;
    private readonly List<ProtoMessage> _outputs;
    private readonly List<ProtoMessage> _before = [];
    private readonly List<ProtoMessage> _after = [];
    private readonly List<ProtoMessage> _initializers = [];
    private readonly Dictionary<string, string> _renames = [];
    private int _nodeCount;

    public OnnxModelRewriter(byte[] model)
    {
        _model = ProtoMessage.Parse(model);
        _graph = _model.All(ModelGraph).Single().Message;
        _inputs = _graph.All(GraphInput).Select(f => f.Message).ToList();
        _outputs = _graph.All(GraphOutput).Select(f => f.Message).ToList();
    }

    public IEnumerable<string> InputNames => _inputs.Select(NameOf);
    public IEnumerable<string> OutputNames => _outputs.Select(NameOf);

    /// <summary>The graph input <paramref name="name"/> takes <paramref name="newType"/>, cast back to <paramref name="oldType"/> inside.</summary>
    public void RetypeInput(string name, DataType newType, DataType oldType)
    {
        var inner = name + "__inner";
        _renames[name] = inner;
        Replace(_inputs, name, WithElementType(Find(_inputs, name), newType));
        AddNode(before: true, "Cast", [name], [inner], ("to", (long)oldType));
    }

    /// <summary>The graph output <paramref name="name"/> is cast to <paramref name="newType"/>.</summary>
    public void RetypeOutput(string name, DataType newType)
    {
        var inner = name + "__inner";
        _renames[name] = inner;
        Replace(_outputs, name, WithElementType(Find(_outputs, name), newType));
        AddNode(before: false, "Cast", [inner], [name], ("to", (long)newType));
    }

    public void RemoveInput(string name) => _inputs.Remove(Find(_inputs, name));
    public void RemoveOutput(string name) => _outputs.Remove(Find(_outputs, name));

    /// <summary>Adds a tensor input; each dimension is a number or a symbolic name.</summary>
    public void AddInput(string name, DataType elementType, params object[] dims) => _inputs.Add(ValueInfo(name, elementType, dims));
    public void AddOutput(string name, DataType elementType, params object[] dims) => _outputs.Add(ValueInfo(name, elementType, dims));

    public void AddInt64Constant(string name, long[] dims, params long[] values)
    {
        var tensor = new ProtoMessage();
        foreach (var d in dims)
            tensor.Add(TensorDims, d);
        tensor.Add(TensorDataType, (long)DataType.Int64);
        foreach (var v in values)
            tensor.Add(TensorInt64Data, v);
        tensor.Add(TensorName, name);
        _initializers.Add(tensor);
    }

    /// <summary>A node placed before the original nodes (it feeds them) or after them (it reads their results).</summary>
    public void AddNode(bool before, string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        var node = new ProtoMessage();
        foreach (var input in inputs)
            node.Add(NodeInput, input);
        foreach (var output in outputs)
            node.Add(NodeOutput, output);
        node.Add(NodeName, $"rewriter_{opType}_{_nodeCount++}");
        node.Add(NodeOpType, opType);
        foreach (var (attributeName, value) in intAttributes)
            node.Add(NodeAttribute, new ProtoMessage().Add(AttributeName, attributeName).Add(AttributeInt, value).Add(AttributeType, AttributeTypeInt));
        (before ? _before : _after).Add(node);
    }

    public byte[] ToBytes()
    {
        var graph = new ProtoMessage();
        foreach (var node in _before)
            graph.Add(GraphNode, node);
        foreach (var field in _graph.All(GraphNode))
            graph.Add(GraphNode, Renamed(field.Message));
        foreach (var node in _after)
            graph.Add(GraphNode, node);
        foreach (var initializer in _initializers)
            graph.Add(GraphInitializer, initializer);
        foreach (var input in _inputs)
            graph.Add(GraphInput, input);
        foreach (var output in _outputs)
            graph.Add(GraphOutput, output);
        // Keep everything else (name, weights, …) but drop value_info: it describes renamed tensors and is optional.
        foreach (var field in _graph.Fields.Where(f => f.Number is not (GraphNode or GraphInput or GraphOutput or GraphValueInfo)))
            graph.Fields.Add(field);

        var model = new ProtoMessage();
        foreach (var field in _model.Fields)
        {
            if (field.Number == ModelGraph)
                model.Add(ModelGraph, graph);
            else
                model.Fields.Add(field);
        }
        return model.ToBytes();
    }

    private ProtoMessage Renamed(ProtoMessage node)
    {
        var renamed = new ProtoMessage();
        foreach (var field in node.Fields)
        {
            if (field.Number is (NodeInput or NodeOutput) && _renames.TryGetValue(field.Text, out var name))
                renamed.Add(field.Number, name);
            else
                renamed.Fields.Add(field);
        }
        return renamed;
    }

    private static ProtoMessage ValueInfo(string name, DataType elementType, object[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var d in dims)
            shape.Add(ShapeDim, d is string symbol ? new ProtoMessage().Add(DimParam, symbol) : new ProtoMessage().Add(DimValue, Convert.ToInt64(d)));
        var tensor = new ProtoMessage().Add(TensorElementType, (long)elementType).Add(TensorShape, shape);
        return new ProtoMessage().Add(ValueInfoName, name).Add(ValueInfoType, new ProtoMessage().Add(TypeTensor, tensor));
    }

    private static ProtoMessage WithElementType(ProtoMessage valueInfo, DataType elementType)
    {
        var type = valueInfo.All(ValueInfoType).Single().Message;
        var tensor = type.All(TypeTensor).Single().Message;
        var newTensor = new ProtoMessage().Add(TensorElementType, (long)elementType);
        newTensor.Fields.AddRange(tensor.Fields.Where(f => f.Number != TensorElementType));
        return new ProtoMessage().Add(ValueInfoName, NameOf(valueInfo)).Add(ValueInfoType, new ProtoMessage().Add(TypeTensor, newTensor));
    }

    private static string NameOf(ProtoMessage valueInfo) => valueInfo.All(ValueInfoName).Single().Text;

    private static ProtoMessage Find(List<ProtoMessage> list, string name) =>
        list.SingleOrDefault(v => NameOf(v) == name) ?? throw new ArgumentException($"no graph input/output {name}");

    private static void Replace(List<ProtoMessage> list, string name, ProtoMessage replacement) =>
        list[list.IndexOf(Find(list, name))] = replacement;
}
