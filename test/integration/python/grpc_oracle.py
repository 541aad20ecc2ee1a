"""The independent side of the gRPC check: TF Serving's official Python client (tensorflow-serving-api + grpcio)
asks a server what the test asks, and prints each answer as JSON the way TF Serving's REST API prints messages
(MessageToDict with preserving_proto_field_name and always_print_fields_with_no_presence).

argv[1]: {"address": "host:port", "calls": [{"call": "status"|"metadata"|"predict", "model": ..., "version"?: N,
        "label"?: L, "signature_name"?: S, "inputs"?: {name: {"dtype": "DT_FLOAT", "values": nested list}}}]}
stdout: one JSON list, per call {"answer": ...} or {"error": {"code": "NOT_FOUND", "details": ...}}.
"""
import json
import sys

import grpc
import tensorflow as tf
from google.protobuf.json_format import MessageToDict
from tensorflow_serving.apis import (get_model_metadata_pb2, get_model_status_pb2, model_service_pb2_grpc,
                                     predict_pb2, prediction_service_pb2_grpc)


def as_json(message):
    return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def fill_spec(spec, call):
    spec.name = call["model"]
    if "version" in call:
        spec.version.value = int(call["version"])
    if "label" in call:
        spec.version_label = call["label"]
    if "signature_name" in call:
        spec.signature_name = call["signature_name"]


def ask(prediction, model, call):
    kind = call["call"]
    if kind == "status":
        request = get_model_status_pb2.GetModelStatusRequest()
        fill_spec(request.model_spec, call)
        return as_json(model.GetModelStatus(request, timeout=30))["model_version_status"]
    if kind == "metadata":
        request = get_model_metadata_pb2.GetModelMetadataRequest()
        fill_spec(request.model_spec, call)
        request.metadata_field.append("signature_def")
        response = prediction.GetModelMetadata(request, timeout=30)
        # As http_rest_api_util.cc prints it: the model spec, and the Any unpacked to a SignatureDefMap.
        signature_defs = get_model_metadata_pb2.SignatureDefMap()
        response.metadata["signature_def"].Unpack(signature_defs)
        return {"model_spec": as_json(response.model_spec), "metadata": {"signature_def": as_json(signature_defs)}}
    if kind == "predict":
        request = predict_pb2.PredictRequest()
        fill_spec(request.model_spec, call)
        for name, tensor in call["inputs"].items():
            dtype = tf.dtypes.as_dtype(tensor["dtype"].replace("DT_", "").lower())
            request.inputs[name].CopyFrom(tf.make_tensor_proto(tensor["values"], dtype=dtype))
        return MessageToDict(prediction.Predict(request, timeout=30), preserving_proto_field_name=True)
    raise ValueError("unknown call " + kind)


def main():
    question = json.loads(sys.argv[1])
    channel = grpc.insecure_channel(question["address"])
    prediction = prediction_service_pb2_grpc.PredictionServiceStub(channel)
    model = model_service_pb2_grpc.ModelServiceStub(channel)
    answers = []
    for call in question["calls"]:
        try:
            answers.append({"answer": ask(prediction, model, call)})
        except grpc.RpcError as e:
            answers.append({"error": {"code": e.code().name, "details": e.details()}})
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
