using System.Reflection;
using System.Runtime.CompilerServices;

namespace GptChat;

/// <summary>
/// Compiles the methods of given types ahead of their first call, on a thread-pool thread.
/// Why: tiered compilation is off (see the host's project file), so every method is compiled fully optimised on
/// its first call; for a one-shot run the generation path (generator, beam search, model step, streaming decoder,
/// ~150 methods) was compiled on the main thread between model load and the first token. Compiling it on the
/// other core while ONNX Runtime loads the model (single-threaded, ~0.5 s for GPT-2 124M) moves that off the
/// critical path (see README, Performance).
/// </summary>
internal static class HotPathJit
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    /// <summary>Starts compiling <paramref name="types"/> (and the closures nested in them) in the background.</summary>
    public static Task Start(IReadOnlyList<Type> types) => Task.Run(() => Prepare(types));

    /// <summary>Compiles every non-generic, non-abstract method and constructor of the types; returns how many.</summary>
    public static int Prepare(IEnumerable<Type> types)
    {
        var prepared = 0;
        foreach (var type in types)
            prepared += PrepareType(type);
        return prepared;
    }

    private static int PrepareType(Type type)
    {
        // An open generic type has no code until it is instantiated; interfaces have none of their own.
        if (type.ContainsGenericParameters || type.IsInterface)
            return 0;
        var prepared = 0;
        foreach (var method in type.GetMethods(Declared))
        {
            if (method.IsAbstract || method.ContainsGenericParameters)
                continue;
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            prepared++;
        }
        foreach (var constructor in type.GetConstructors(Declared))
        {
            if (constructor.IsStatic)
                continue; // a type initializer runs when the type is first used, not here
            RuntimeHelpers.PrepareMethod(constructor.MethodHandle);
            prepared++;
        }
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            prepared += PrepareType(nested);
        return prepared;
    }
}
