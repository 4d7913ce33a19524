"""Emits one trace across three services, with an error span and log records, through the
stock OpenTelemetry Python SDK and its OTLP/HTTP exporter, then prints the trace id.

usage: emit_trace.py ENDPOINT (protobuf|json)
"""
import logging
import sys

from opentelemetry import trace
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

endpoint, encoding = sys.argv[1], sys.argv[2]
if encoding == "json":
    from opentelemetry.exporter.otlp.json.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter
else:
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter


def provider(service):
    tracer_provider = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment": "interop"}))
    tracer_provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=endpoint + "/v1/traces")))
    return tracer_provider


providers = {name: provider(name) for name in ("gateway", "checkout", "payment")}
log_provider = LoggerProvider(resource=Resource.create({"service.name": "payment"}))
log_provider.add_log_record_processor(SimpleLogRecordProcessor(OTLPLogExporter(endpoint=endpoint + "/v1/logs")))
logger = logging.getLogger("payment")
logger.setLevel(logging.INFO)
logger.addHandler(LoggingHandler(level=logging.INFO, logger_provider=log_provider))

gateway = providers["gateway"].get_tracer("interop")
checkout = providers["checkout"].get_tracer("interop")
payment = providers["payment"].get_tracer("interop")

with gateway.start_as_current_span("GET /checkout", kind=SpanKind.SERVER, attributes={"http.route": "/checkout", "http.status_code": 500}) as root:
    trace_id = format(root.get_span_context().trace_id, "032x")
    with checkout.start_as_current_span("POST /api/checkout", kind=SpanKind.SERVER, attributes={"http.route": "/api/checkout", "cart.items": 3, "cart.total": 59.9, "cart.gift": False}):
        with payment.start_as_current_span("charge", kind=SpanKind.CLIENT, attributes={"payment.tags": ["card", "retry"]}) as charge:
            logger.info("charging card")
            try:
                raise RuntimeError("card declined by issuer")
            except RuntimeError as error:
                charge.record_exception(error)
                charge.set_status(Status(StatusCode.ERROR, "card declined by issuer"))
                logger.error("payment failed")

for tracer_provider in providers.values():
    tracer_provider.force_flush()
    tracer_provider.shutdown()
log_provider.force_flush()
log_provider.shutdown()
print(trace_id)
