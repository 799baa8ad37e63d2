# Script mode (cmake -DCLI=... -DOUTPUT=... -P ManPageCommands.cmake), run at
# build time by cmake/ManPages.cmake: a help2man include file with a COMMANDS
# section, each command of `lstmscope-cli --help` with its own --help (usage,
# options, example), so `man lstmscope-cli` is complete. The command list is
# read from the program, so a new command appears without editing this.
execute_process(COMMAND ${CLI} --help OUTPUT_VARIABLE usage RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${CLI} --help exited ${status}")
endif()
# The commands are the lines indented by exactly two spaces: "  trace   run ...".
string(REGEX MATCHALL "\n  [a-z][a-z-]+ " lines "${usage}")
set(page "[COMMANDS]\n")
foreach(line IN LISTS lines)
  string(STRIP "${line}" command)
  execute_process(COMMAND ${CLI} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${CLI} ${command} --help exited ${status}")
  endif()
  # roff: a backslash is \e; a line starting with . or ' would be a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND page ".SS ${command}\n.nf\n${help}.fi\n")
endforeach()
file(WRITE ${OUTPUT} "${page}")
