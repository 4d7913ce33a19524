import Hummingbird
import NIOCore
import ObsCore

/// JSON bodies for API responses, errors included: `{"error":"…"}` with the status code.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ json: JSONWriter, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("error"); json.string(message)
        json.endObject()
        return make(status, json, headers: headers)
    }
}
