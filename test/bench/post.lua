-- wrk: POST Telegram updates, each with an update_id of its own, so that
-- hb-ingest stores every one (no duplicates).
local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local counter = 0
function request()
	counter = counter + 1
	local id = tid * 100000000 + counter
	local chat = 1000 + counter % 5000
	local body = string.format('{"update_id":%d,"message":{"message_id":%d,' ..
	    '"date":1767772800,"from":{"id":%d,"first_name":"Bench"},' ..
	    '"chat":{"id":%d,"type":"private"},"text":"Frage %d"}}',
	    id, id, chat, chat, id)
	return wrk.format("POST", nil, {
		["Content-Type"] = "application/json",
		["X-Telegram-Bot-Api-Secret-Token"] = os.getenv("TG_SECRET"),
	}, body)
end
