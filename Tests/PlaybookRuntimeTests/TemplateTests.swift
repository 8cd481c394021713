import Diagnostics
@testable import PlaybookRuntime
import Testing

/// Placeholders and their filters, as connector specs write them.
@Suite struct TemplateTests {
    private func values(options: [(String, JSONValue)] = [], auth: [(String, JSONValue)] = [], params: [(String, JSONValue)] = []) -> TemplateValues {
        var values = TemplateValues()
        values["options"] = .object(options)
        values["auth"] = .object(auth)
        values["params"] = .object(params)
        return values
    }

    @Test func mailchimpsDataCentreIsTheOptionOrElseTheAPIKeysSuffix() {
        let base = "https://{options.server_prefix|or:auth.api_key|after_last:-}.api.mailchimp.com/3.0"
        #expect(Template.text(base, values(auth: [("api_key", .string("0123456789abcdef-us21"))])) == "https://us21.api.mailchimp.com/3.0")
        #expect(Template.text(base, values(options: [("server_prefix", .string("eu1"))], auth: [("api_key", .string("0123456789abcdef-us21"))]))
            == "https://eu1.api.mailchimp.com/3.0")
        // An empty option counts as absent; a key without a suffix is taken whole, so the address names it.
        #expect(Template.text(base, values(options: [("server_prefix", .string(""))], auth: [("api_key", .string("k-us9"))])) == "https://us9.api.mailchimp.com/3.0")
        #expect(Template.text(base, values(auth: [("token", .string("oauth"))])) == "https://.api.mailchimp.com/3.0")
    }

    @Test func filtersReshapeValuesLeftToRight() {
        let given = values(options: [("customer_id", .string("123-456-7890")), ("ad_account_id", .string("act_42"))],
                           params: [("metrics", .array([.string("sessions"), .string("conversions")]))])
        #expect(Template.text("{options.customer_id|digits}", given) == "1234567890")
        #expect(Template.text("act_{options.ad_account_id|strip_prefix:act_}", given) == "act_42")
        #expect(given.value(of: "params.metrics|wrap:name") == .array([.object([("name", .string("sessions"))]), .object([("name", .string("conversions"))])]))
        #expect(Template.text("{options.missing|or:options.customer_id|digits}", given) == "1234567890")
        #expect(Template.text("{options.missing|after_last:-}", given) == "")
    }
}
