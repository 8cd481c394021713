/// Answers of the real platforms, written from each platform's own API documentation (not from the
/// sandbox), so that a connector spec and the sandbox cannot agree on a mistake. Each is what the
/// documentation shows for the call named, with made-up values.
enum PlatformAnswers {
    /// HubSpot `GET /crm/v3/objects/contacts`: a page with a next cursor, then the last page.
    static let hubspotContactsPage1 = #"""
    {"results":[
      {"id":"101","properties":{"email":"Ann.Lee@Example.com","firstname":"Ann","lastname":"Lee","hs_analytics_num_page_views":"42",
       "hs_lead_status":"NEW","lifecyclestage":"lead","createdate":"2026-01-02T10:00:00.000Z","lastmodifieddate":"2026-03-01T08:30:00.000Z"},
       "createdAt":"2026-01-02T10:00:00.000Z","updatedAt":"2026-03-01T08:30:00.000Z","archived":false},
      {"id":"102","properties":{"email":"bo@example.org","firstname":"Bo","lastname":"Berg","hs_analytics_num_page_views":"3",
       "createdate":"2026-01-05T10:00:00.000Z","lastmodifieddate":"2026-03-01T09:00:00.000Z"},
       "createdAt":"2026-01-05T10:00:00.000Z","updatedAt":"2026-03-01T09:00:00.000Z","archived":false}
    ],
    "paging":{"next":{"after":"NTI1Cg%3D%3D","link":"?after=NTI1Cg%3D%3D"}}}
    """#

    static let hubspotContactsPage2 = #"""
    {"results":[
      {"id":"103","properties":{"email":"cy@example.net","firstname":"Cy","lastname":"Ng","hs_analytics_num_page_views":"7",
       "createdate":"2026-01-07T10:00:00.000Z","lastmodifieddate":"2026-03-02T09:00:00.000Z"},
       "createdAt":"2026-01-07T10:00:00.000Z","updatedAt":"2026-03-02T09:00:00.000Z","archived":false}
    ]}
    """#

    /// HubSpot `POST /crm/v3/objects/contacts/batch/upsert` answering 207 with one input refused.
    static let hubspotBatchPartial = #"""
    {"status":"COMPLETE","results":[{"id":"101","properties":{"email":"ann.lee@example.com"},"new":false}],
     "numErrors":1,
     "errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: email","context":{"ids":["not-an-email"]}}],
     "startedAt":"2026-03-02T09:00:00.000Z","completedAt":"2026-03-02T09:00:01.000Z"}
    """#

    /// Salesforce `GET /services/data/v65.0/query?q=…`: a first batch that is not done, then the last.
    static let salesforceQueryPage1 = #"""
    {"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v65.0/query/01gRO0000016PIAYA2-2",
     "records":[
       {"attributes":{"type":"Lead","url":"/services/data/v65.0/sobjects/Lead/00Q1"},"Id":"00Q1","Email":"ann@example.com","FirstName":"Ann","LastName":"Lee","Company":"Acme","LastModifiedDate":"2026-03-01T08:30:00.000+0000"},
       {"attributes":{"type":"Lead","url":"/services/data/v65.0/sobjects/Lead/00Q2"},"Id":"00Q2","Email":"bo@example.org","FirstName":"Bo","LastName":"Berg","Company":"Beta","LastModifiedDate":"2026-03-01T09:00:00.000+0000"}
     ]}
    """#

    static let salesforceQueryPage2 = #"""
    {"totalSize":3,"done":true,
     "records":[
       {"attributes":{"type":"Lead","url":"/services/data/v65.0/sobjects/Lead/00Q3"},"Id":"00Q3","Email":"cy@example.net","FirstName":"Cy","LastName":"Ng","Company":"Gamma","LastModifiedDate":"2026-03-02T09:00:00.000+0000"}
     ]}
    """#

    /// Salesforce sObject collections upsert: one result per record, in order, the second refused.
    static let salesforceUpsertResults = #"""
    [{"id":"00Q1","success":true,"errors":[],"created":false},
     {"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]},
     {"id":"00Q9","success":true,"errors":[],"created":true}]
    """#

    /// Mailchimp `GET /lists/{list_id}/members?count=2&offset=N` against `total_items`.
    static let mailchimpMembersPage1 = #"""
    {"members":[
      {"id":"a1","email_address":"ann@example.com","status":"subscribed","merge_fields":{"FNAME":"Ann","LNAME":"Lee"},"tags":[{"id":1,"name":"vip"}],"last_changed":"2026-03-01T08:30:00+00:00"},
      {"id":"b2","email_address":"bo@example.org","status":"unsubscribed","merge_fields":{"FNAME":"Bo","LNAME":"Berg"},"tags":[],"last_changed":"2026-03-01T09:00:00+00:00"}
     ],
     "list_id":"a1b2c3d4e5","total_items":3,"_links":[]}
    """#

    static let mailchimpMembersPage2 = #"""
    {"members":[
      {"id":"c3","email_address":"cy@example.net","status":"subscribed","merge_fields":{"FNAME":"Cy","LNAME":"Ng"},"tags":[],"last_changed":"2026-03-02T09:00:00+00:00"}
     ],
     "list_id":"a1b2c3d4e5","total_items":3,"_links":[]}
    """#

    /// Meta `GET /act_{id}/insights?level=campaign&time_increment=1`: metric values are strings; a short
    /// first page that still has `next`, then the last page without it.
    static let metaInsightsPage1 = #"""
    {"data":[
      {"campaign_id":"2385","campaign_name":"Spring sale","impressions":"12000","clicks":"340","spend":"120.50","date_start":"2026-03-01","date_stop":"2026-03-01"}
     ],
     "paging":{"cursors":{"before":"QVFI1","after":"QVFI2"},"next":"https://graph.facebook.com/v25.0/act_1/insights?after=QVFI2"}}
    """#

    static let metaInsightsPage2 = #"""
    {"data":[
      {"campaign_id":"2385","campaign_name":"Spring sale","impressions":"9000","clicks":"210","spend":"98.10","date_start":"2026-03-02","date_stop":"2026-03-02"}
     ],
     "paging":{"cursors":{"before":"QVFI2","after":"QVFI3"}}}
    """#

    /// Meta `GET /{leadgen_id}`: a lead's answers in `field_data`.
    static let metaLead = #"""
    {"id":"9001","created_time":"2026-03-02T09:15:00+0000","ad_id":"77","form_id":"55",
     "field_data":[{"name":"email","values":["ann@example.com"]},{"name":"full_name","values":["Ann Lee"]}]}
    """#

    /// Meta's rate-limit error (HTTP 400, code 17) with its usage header value.
    static let metaRateLimited = #"""
    {"error":{"message":"(#17) User request limit reached","type":"OAuthException","code":17,"error_subcode":2446079,"fbtrace_id":"EJplcsCHuLu"}}
    """#
    static let metaUsageHeader = #"{"1":[{"type":"ads_management","call_count":100,"total_cputime":12,"total_time":15,"estimated_time_to_regain_access":1}]}"#

    /// Google Ads `googleAds:search`: rows with a `nextPageToken`, then the last page without one.
    static let googleAdsSearchPage1 = #"""
    {"results":[{"campaign":{"resourceName":"customers/1234567890/campaigns/11","id":"11","name":"Brand"},"metrics":{"clicks":"120","impressions":"4000","costMicros":"5500000"},"segments":{"date":"2026-03-01"}}],
     "nextPageToken":"CkRDQU1TRmdvR0NJ","fieldMask":"campaign.id,campaign.name,metrics.clicks,metrics.impressions,metrics.costMicros,segments.date"}
    """#

    static let googleAdsSearchPage2 = #"""
    {"results":[{"campaign":{"resourceName":"customers/1234567890/campaigns/12","id":"12","name":"Generic"},"metrics":{"clicks":"80","impressions":"3000","costMicros":"4100000"},"segments":{"date":"2026-03-01"}}],
     "fieldMask":"campaign.id,campaign.name,metrics.clicks,metrics.impressions,metrics.costMicros,segments.date"}
    """#

    /// Google Ads Customer Match: `offlineUserDataJobs:create` names the job; `:addOperations`
    /// answers an empty object when nothing failed; `:run` answers a long-running operation.
    static let googleAdsJobCreated = #"{"resourceName":"customers/1234567890/offlineUserDataJobs/9012345678"}"#
    static let googleAdsOperationsAdded = "{}"
    static let googleAdsJobRunning = #"{"name":"customers/1234567890/operations/9012345678"}"#

    /// Google's quota error with its retry delay.
    static let googleResourceExhausted = #"""
    {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
     "details":[{"@type":"type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure","errors":[{"errorCode":{"quotaError":"RESOURCE_EXHAUSTED"},"message":"Too many requests.","details":{"quotaErrorDetails":{"rateScope":"ACCOUNT","rateName":"Requests per account","retryDelay":"2s"}}}]}]}}
    """#

    /// GA4 `properties/{id}:runReport`: rows in the order of the requested dimensions and metrics.
    static let ga4ReportPage1 = #"""
    {"dimensionHeaders":[{"name":"date"},{"name":"sessionSource"}],"metricHeaders":[{"name":"sessions","type":"TYPE_INTEGER"},{"name":"engagementRate","type":"TYPE_FLOAT"}],
     "rows":[
       {"dimensionValues":[{"value":"20260301"},{"value":"google"}],"metricValues":[{"value":"120"},{"value":"0.61"}]},
       {"dimensionValues":[{"value":"20260301"},{"value":"newsletter"}],"metricValues":[{"value":"45"},{"value":"0.72"}]}
     ],
     "rowCount":3,"metadata":{"currencyCode":"EUR","timeZone":"Europe/Warsaw"},"kind":"analyticsData#runReport"}
    """#

    static let ga4ReportPage2 = #"""
    {"dimensionHeaders":[{"name":"date"},{"name":"sessionSource"}],"metricHeaders":[{"name":"sessions","type":"TYPE_INTEGER"},{"name":"engagementRate","type":"TYPE_FLOAT"}],
     "rows":[{"dimensionValues":[{"value":"20260302"},{"value":"google"}],"metricValues":[{"value":"130"},{"value":"0.58"}]}],
     "rowCount":3,"kind":"analyticsData#runReport"}
    """#

    /// LinkedIn `GET /rest/adAccounts/{id}/adCampaigns?q=search`: cursor pages.
    static let linkedInCampaignsPage1 = #"""
    {"elements":[{"id":501,"name":"Q1 lead gen","status":"ACTIVE","account":"urn:li:sponsoredAccount:123","costType":"CPC"}],"metadata":{"nextPageToken":"DgH2"}}
    """#

    /// LinkedIn Lead Sync: responses answer questions by id (text and multiple choice); the
    /// form (`GET /rest/leadForms/{id}`) names each question, by its predefined field or by name.
    static let linkedInLeadResponses = #"""
    {"paging":{"start":0,"count":10,"links":[]},"elements":[
     {"owner":{"sponsoredAccount":"urn:li:sponsoredAccount:123"},"submitter":"urn:li:person:ABCD","leadType":"SPONSORED",
      "leadMetadata":{"sponsoredLeadMetadata":{"campaign":"urn:li:sponsoredCampaign:501"}},
      "versionedLeadGenFormUrn":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:4242,1)","leadGenFormUrn":"urn:li:leadGenForm:4242",
      "id":"a1b2c3-1","submittedAt":1767261600000,"testLead":false,
      "formResponse":{"consentResponses":[{"accepted":true,"consentId":1}],"answers":[
       {"answerDetails":{"textQuestionAnswer":{"answer":"Ann"}},"questionId":11},
       {"answerDetails":{"textQuestionAnswer":{"answer":"ann@example.com"}},"questionId":12},
       {"answerDetails":{"textQuestionAnswer":{"answer":"Head of growth"}},"questionId":13},
       {"answerDetails":{"multipleChoiceAnswer":{"options":[2]}},"questionId":14},
       {"answerDetails":{"textQuestionAnswer":{"answer":"Spring"}},"questionId":15}]}}]}
    """#

    static let linkedInLeadForm = #"""
    {"id":4242,"name":"Demo request","creationLocale":{"country":"US","language":"en"},"owner":{"sponsoredAccount":"urn:li:sponsoredAccount:123"},
     "state":"PUBLISHED","content":{"questions":[
      {"questionId":11,"name":"firstName","predefinedField":"FIRST_NAME","question":{"localized":{"en_US":"First name"}},"questionDetails":{"textQuestionDetails":{"maxResponseLength":300}}},
      {"questionId":12,"name":"email","predefinedField":"EMAIL","question":{"localized":{"en_US":"Email address"}},"questionDetails":{"textQuestionDetails":{"maxResponseLength":300}}},
      {"questionId":13,"name":"jobTitle","predefinedField":"JOB_TITLE","question":{"localized":{"en_US":"Job title"}},"questionDetails":{"textQuestionDetails":{"maxResponseLength":300}}},
      {"questionId":14,"name":"teamSize","question":{"localized":{"en_US":"Team size"}},"questionDetails":{"multipleChoiceQuestionDetails":{"options":[{"id":1,"text":{"localized":{"en_US":"1-10"}}},{"id":2,"text":{"localized":{"en_US":"11-50"}}}]}}}]}}
    """#

    static let linkedInCampaignsPage2 = #"""
    {"elements":[{"id":502,"name":"Retargeting","status":"PAUSED","account":"urn:li:sponsoredAccount:123","costType":"CPM"}],"metadata":{}}
    """#

    /// Slack `chat.postMessage` refusing with HTTP 200.
    static let slackChannelNotFound = #"{"ok":false,"error":"channel_not_found"}"#

    /// SendGrid's rate-limit answer.
    static let sendGridTooMany = #"{"errors":[{"field":null,"message":"too many requests"}]}"#
}
