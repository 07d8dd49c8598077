// Tern's own declarations of the parts of the ONNX Runtime C API that the ONNXRuntime module calls.
//
// Facts (names, enum values, slot positions) come from ONNX Runtime's public header onnxruntime_c_api.h
// (MIT licence, Microsoft). Nothing here links against ONNX Runtime: the library is dlopen'ed at run time and
// everything is reached through the OrtApi table returned by OrtGetApiBase()->GetApi(CONNX_ORT_API_VERSION).
// No logic lives in this target.
#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H

/// The OrtApi version Tern requests: the lowest version whose table contains every slot declared in ORTApi.h.
/// The newest slot used, SessionOptionsAppendExecutionProvider (index 216), is documented "\since Version 1.12",
/// and ONNX Runtime 1.N serves every API version from 1 to N, so this works with ONNX Runtime 1.12 and later.
#define CONNX_ORT_API_VERSION 12

/// The OrtApi version that has the Model Editor API (GetModelEditorApi, index 291; "\since Version 1.22"). Tern
/// requests it only to build graphs in memory (safetensors checkpoints), so older libraries still serve ONNX files.
#define CONNX_ORT_EDITOR_API_VERSION 22

/// The symbol every ONNX Runtime shared library exports; everything else is reached through its table.
#define CONNX_ORT_ENTRY_POINT "OrtGetApiBase"

#include "ORTTypes.h"
#include "ORTApi.h"

#endif  // CONNXRUNTIME_H
